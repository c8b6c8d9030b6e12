package dev.workbook.process;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.workbook.codec.MessageCodec;
import dev.workbook.codec.MessageDecodingException;
import java.io.IOException;

/**
 * The payloads of a pool's frames. The parent's side, its reply frames: a RESULT with the trusting
 * codec (fails only with MessageDecodingException, allocates no more than the bytes justify), a
 * FAILED with Failures (never fails: an exception it cannot rebuild becomes a RemoteThrowable). The
 * worker's side, the CALL frame from its parent: the parent is trusted, but a frame damaged on the
 * way must end in a clear error (an IOException, which the worker sends back as the call's failure),
 * never a hang, an unchecked exception from deep in the JDK, or an allocation its bytes do not justify.
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
    void aCallFrameOfAnyBytesFailsOnlyWithAnIoError(byte[] bytes) {
        try {
            WorkerProtocol.readCall(bytes);
        } catch (IOException expected) {
            // documented: the worker replies FAILED with it
        }
    }

    @FuzzTest
    void aFailedFrameOfAnyBytesDecodesToSomeThrowable(byte[] bytes) {
        if (Failures.decode(bytes, LOADER) == null) {
            throw new AssertionError("Failures.decode returned null");
        }
    }
}
