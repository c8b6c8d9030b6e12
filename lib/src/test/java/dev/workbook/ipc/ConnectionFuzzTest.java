package dev.workbook.ipc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import java.io.EOFException;
import java.io.IOException;

/**
 * Whatever a peer sends on a connection (a pipe end or a Listener's authenticated client), receiving
 * returns messages or fails with an IOException (end of stream, a frame over the limit) or a
 * MessageDecodingException, and allocates no more than the frame limit.
 */
class ConnectionFuzzTest {

    @FuzzTest
    void whateverAPeerSendsReceivingFailsOnlyWithADocumentedError(byte[] bytes) throws IOException {
        try (FrameFuzzing pair = new FrameFuzzing(bytes)) {
            Connection connection = new Connection(pair.near, MessageCodec.defaults(), "fuzzed peer").maxMessageSize(4096);
            for (int i = 0; i <= bytes.length; i++) { // each frame takes at least its 4-byte header
                try {
                    connection.recv();
                } catch (MessageDecodingException expected) {
                    // consumed; the next frame flows
                } catch (EOFException end) {
                    break;
                } catch (IOException overTheLimit) {
                    break;
                }
            }
            connection.close();
        }
    }
}
