package dev.workbook.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What using the codec costs a JVM's start-up: a child that only needs a trusting codec must not pay for
 * compiling the default allow-list, which loads the JDK's serialization filter configuration.
 */
class DefaultCodecStartUpTest {

    private static final String FILTER_CONFIG = "java.io.ObjectInputFilter$Config";

    /** A record the trusting codec carries as tagged values, without Java serialization. */
    record Sample(long number, String label) implements Serializable {
    }

    /** Not on the default allow-list. */
    static final class Unlisted implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Runs in a fresh JVM: a trusting codec's round trips of what a pool worker sends, nothing more. */
    public static final class TrustingRoundTrips {
        public static void main(String[] args) {
            MessageCodec codec = MessageCodec.trusting(TrustingRoundTrips.class.getClassLoader());
            Object list = codec.decode(codec.encode(new java.util.ArrayList<>(List.of(2L, 3L, 5L))));
            Object sample = codec.decode(codec.encode(new Sample(7, "seven")));
            System.out.println("decoded " + list + " " + sample);
        }
    }

    @Test
    void aTrustingCodecDoesNotLoadTheSerializationFilterConfiguration() throws Exception {
        String output = runWithClassLoadLog(TrustingRoundTrips.class);
        assertTrue(output.contains("decoded [2, 3, 5] Sample[number=7, label=seven]"), output);
        assertTrue(output.contains(MessageCodec.class.getName() + " "), "the class-load log should name the codec:\n" + output);
        assertFalse(output.contains(FILTER_CONFIG + " "), "a trusting codec loaded " + FILTER_CONFIG
                + ", so the default codec was built without being asked for");
    }

    @Test
    void theDefaultCodecBuiltOnFirstUseStillRefusesAClassOffItsAllowList() {
        MessageCodec codec = MessageCodec.defaults();
        byte[] bytes = MessageCodec.trusting(getClass().getClassLoader()).encode(new Unlisted());
        MessageRejectedException refused = assertThrows(MessageRejectedException.class, () -> codec.decode(bytes));
        assertEquals(Unlisted.class.getName(), refused.rejectedClass());
    }

    /** The standard output and error of {@code main} run in a JVM of its own that logs every class it loads. */
    private static String runWithClassLoadLog(Class<?> main) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), main.getName());
        Process child = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
            assertEquals(0, child.exitValue(), output);
            return output;
        } finally {
            child.destroyForcibly();
        }
    }
}
