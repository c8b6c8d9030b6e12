package dev.workbook.ipc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Whatever the other side of a Listener/Client handshake sends, each side fails with an IOException
 * (AuthenticationException, end of stream, timeout) within the handshake's deadline, or succeeds only
 * if the bytes prove the key.
 */
class HandshakeFuzzTest {

    private static final byte[] KEY = "the fuzzer does not know this key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @FuzzTest
    void aClientAnsweringAnyBytesFailsOnlyWithAnIoError(byte[] bytes) throws IOException {
        authenticateAgainst(bytes, true);
    }

    @FuzzTest
    void aListenerChallengingAnyBytesFailsOnlyWithAnIoError(byte[] bytes) throws IOException {
        authenticateAgainst(bytes, false);
    }

    private static void authenticateAgainst(byte[] bytes, boolean asClient) throws IOException {
        try (FrameFuzzing pair = new FrameFuzzing(bytes)) {
            Handshake handshake = new Handshake(pair.near, 1_000_000_000L, asClient ? "fuzzed listener" : "fuzzed client");
            try {
                if (asClient) {
                    handshake.authenticateAsClient(KEY);
                } else {
                    handshake.authenticateAsListener(KEY);
                }
                throw new AssertionError("the fuzzer authenticated without the key");
            } catch (IOException expected) {
                // documented
            } finally {
                handshake.close();
            }
        }
    }
}
