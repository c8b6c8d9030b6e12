package dev.workbook.lesson;

import static dev.workbook.lesson.LessonProgram.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lesson's inter-process communication: a counter that is not shared, and a queue that is. */
class QueueExamplesTest {

    @Test
    void withAGlobalCounterEachChildPrintsItsWordFiftyTimes() throws Exception {
        String output = LessonProgram.run(BrokenCounter.class);
        assertEquals(50, count("Ping", output), output);
        assertEquals(50, count("Pong", output), output);
        assertTrue(output.contains("The parent's counter is still 0"), output);
    }

    @Test
    void withASharedQueuePingAndPongTogetherComeOutExactlyFiftyTimes() throws Exception {
        String output = LessonProgram.run(PingPong.class);
        assertEquals(50, count("Ping", output) + count("Pong", output), output);
        assertTrue(output.contains("Ping and Pong printed 50 times in total"), output);
    }
}
