package dev.workbook.sharedstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VisibilityTest {

    /** Start-up and exit of a child JVM on a busy machine, on top of the probe's own waits. */
    private static final Duration START_AND_EXIT = Duration.ofSeconds(15);

    @Test
    void theProbeEndsWithinItsBoundOnThisJdk() throws Exception {
        assertEndsWithinBound(Visibility.currentJdk());
    }

    @Test
    void theProbeEndsWithinItsBoundOnJdk25() throws Exception {
        Path jdk25 = Visibility.findJdk(25).orElse(null);
        assumeTrue(jdk25 != null, "no JDK 25 under /usr/lib/jvm (e.g. temurin-25-jdk-amd64): nothing to compare with");
        Visibility.Outcome outcome = assertEndsWithinBound(jdk25);
        assertTrue(outcome.jvm().startsWith("25"), outcome.jvm());
    }

    @Test
    void theInterpreterSeesEvenThePlainFlag() throws Exception {
        Visibility.Outcome outcome = Visibility.probe(Visibility.currentJdk(), "-Xint");
        assertTrue(outcome.jvm().contains("interpreted mode"), outcome.jvm());
        assertTrue(seen(outcome).get("plain"), outcome::toString);
    }

    @Test
    void aDirectoryWithoutJavaIsRefusedWithWhatToGive() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> Visibility.probe(Path.of("/nonexistent-jdk")));
        assertTrue(failure.getMessage().contains("no executable bin/java"), failure.getMessage());
    }

    /**
     * Runs the probe and checks the contract: every flag answered, the flags with a happens-before edge
     * seen, and the child JVM ended by itself (a reader still spinning did not keep it alive), all
     * within the probe's waits plus start-up.
     */
    private static Visibility.Outcome assertEndsWithinBound(Path jdk) throws Exception {
        long start = System.nanoTime();
        Visibility.Outcome outcome = Visibility.probe(jdk);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int flags = VisibilityProbe.FLAGS.length;
        Duration allowed = Visibility.BOUND.plus(Visibility.WARM_UP).multipliedBy(flags).plus(START_AND_EXIT);
        assertTrue(took.compareTo(allowed) < 0, "the probe took " + took + ", more than " + allowed);
        assertEquals(List.of(VisibilityProbe.FLAGS), outcome.sightings().stream().map(Visibility.Sighting::flag).toList());
        Map<String, Boolean> seen = seen(outcome);
        assertTrue(seen.get("volatile") && seen.get("atomic-boolean") && seen.get("interrupt"), outcome::toString);
        assertFalse(outcome.destroyed(), "the child JVM did not end by itself: " + outcome);
        assertEquals(flags, Visibility.table(List.of(outcome)).rowCount());
        return outcome;
    }

    private static Map<String, Boolean> seen(Visibility.Outcome outcome) {
        return outcome.sightings().stream().collect(Collectors.toMap(Visibility.Sighting::flag, Visibility.Sighting::seen));
    }
}
