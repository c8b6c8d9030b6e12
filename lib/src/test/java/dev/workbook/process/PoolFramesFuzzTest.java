package dev.workbook.process;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;

/**
 * The payloads of a pool's reply frames, as the parent decodes them: a RESULT with the trusting
 * codec (fails only with MessageDecodingException, allocates no more than the bytes justify), a
 * FAILED with Failures (never fails: an exception it cannot rebuild becomes a RemoteThrowable).
 */
class PoolFramesFuzzTest {

    private static final ClassLoader LOADER = PoolFramesFuzzTest.class.getClassLoader();

    @FuzzTest
    void aResultFrameOfAnyBytesFailsOnlyWithADecodingError(byte[] bytes) {
        try {
            MessageCodec.trusting(LOADER).decode(bytes);
        } catch (MessageDecodingException expected) {
            // documented
        }
    }

    @FuzzTest
    void aFailedFrameOfAnyBytesDecodesToSomeThrowable(byte[] bytes) {
        if (Failures.decode(bytes, LOADER) == null) {
            throw new AssertionError("Failures.decode returned null");
        }
    }
}
