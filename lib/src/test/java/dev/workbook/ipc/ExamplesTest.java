package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbook.ipc.examples.BrokenCounter;
import dev.workbook.ipc.examples.PingPong;
import java.time.Duration;
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
        String output = parent.awaitExit(TIMEOUT); // the parent exits only after both children did
        assertEquals(50, count("Ping", output) + count("Pong", output), output);
        assertEquals(0, parent.process.descendants().count(), "no child outlives the parent");
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
