package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.ipc.examples.BrokenCounter;
import dev.workbook.ipc.examples.PingPong;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's two scenarios, run as a user would run them: each main in its own JVM. */
class ExamplesTest extends IpcTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void withAGlobalCounterEachChildPrintsItsWordFiftyTimes() throws Exception {
        String output = children.start(BrokenCounter.class).awaitExit(TIMEOUT);
        assertEquals(50, lines("Ping", output), output);
        assertEquals(50, lines("Pong", output), output);
        assertTrue(output.contains("The parent's counter is still 0"), output);
    }

    @Test
    void withASharedQueuePingAndPongTogetherComeOutExactlyFiftyTimesAndEveryProcessEnds() throws Exception {
        ChildJvms.Child parent = children.start(PingPong.class);
        Set<ProcessHandle> grandchildren = new HashSet<>();
        while (parent.process.isAlive()) {
            parent.process.descendants().forEach(grandchildren::add);
            Thread.sleep(20);
        }
        String output = parent.awaitExit(TIMEOUT);
        assertEquals(50, lines("Ping", output) + lines("Pong", output), output);
        assertTrue(output.contains("Ping and Pong printed 50 times in total"), output);
        assertEquals(2, grandchildren.size(), "the parent started two children");
        for (ProcessHandle child : grandchildren) {
            assertFalse(child.isAlive(), "child " + child.pid() + " ended with its parent");
        }
    }

    /** How many lines of the text are exactly the word. */
    private static long lines(String word, String text) {
        return text.lines().filter(word::equals).count();
    }
}
