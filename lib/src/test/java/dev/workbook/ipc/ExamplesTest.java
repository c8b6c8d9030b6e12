package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.workbook.ipc.examples.BrokenCounter;
import dev.workbook.ipc.examples.PingPong;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The seed's two scenarios, run as a user would run them: each main in its own JVM. */
class ExamplesTest extends IpcTestSupport {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void withAGlobalCounterEachChildPrintsItsWordFiftyTimes() throws Exception {
        String output = children.start(BrokenCounter.class).awaitExit(TIMEOUT);
        assertEquals(50, count("Ping", output), output);
        assertEquals(50, count("Pong", output), output);
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
        assertEquals(50, count("Ping", output) + count("Pong", output), output);
        assertEquals(2, grandchildren.size(), "the parent started two children");
        for (ProcessHandle child : grandchildren) {
            assertFalse(child.isAlive(), "child " + child.pid() + " ended with its parent");
        }
    }

    private static int count(String word, String text) {
        Matcher matcher = Pattern.compile(word).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
