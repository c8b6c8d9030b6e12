package dev.workbook.lesson;

import dev.workbook.process.ChildProcess;
import java.util.List;

/**
 * The seed's broken attempt: two processes that should stop once "Ping" and "Pong" together reach 50,
 * counting with a global variable. Each child JVM has its own copy of {@link #counter}, so each counts
 * to 50 on its own and 100 words come out: processes do not share memory unless they ask for it.
 *
 * <p>Each word is printed on a line of its own, where the seed prints them end to end: a child's
 * output reaches the parent's terminal line by line (see {@link ChildProcess}), so words without a
 * line break would only show up, all together, when the child ends.
 *
 * <p>Run: {@code java -cp ... dev.workbook.lesson.BrokenCounter}. Compare {@link PingPong}.
 */
public final class BrokenCounter {

    /** Where the seed wants the two processes, together, to stop. */
    public static final int LIMIT = 50;

    /** One per JVM: the parent's and each child's are three different variables. */
    private static int counter = 0;

    private BrokenCounter() {
    }

    /**
     * What a run leaves behind.
     *
     * @param children      the two children, ended
     * @param parentCounter the parent's own counter afterwards (its copy was never touched)
     */
    public record Outcome(List<ChildProcess> children, int parentCounter) {
    }

    public static void main(String[] args) throws Exception {
        Outcome outcome = run();
        System.out.println("The parent's counter is still " + outcome.parentCounter()
                + ": each child counted on its own copy.");
    }

    /**
     * Starts a "Ping" child and a "Pong" child on {@link #subTask}, waits for both, and returns.
     *
     * @throws IllegalStateException if a child failed
     */
    public static Outcome run() throws Exception {
        ChildProcess ping = new ChildProcess(BrokenCounter::subTask, "Ping");
        ChildProcess pong = new ChildProcess(BrokenCounter::subTask, "Pong");
        ping.start();
        pong.start();
        List<ChildProcess> children = List.of(ping, pong);
        ExampleChildren.joinAll(children);
        return new Outcome(children, counter);
    }

    /** The seed's {@code sub_task}: counts on this JVM's counter, then says where it got to. */
    static void subTask(String word) throws InterruptedException {
        while (counter < LIMIT) {
            System.out.println(word);
            counter += 1;
            Thread.sleep(10);
        }
        System.out.println(word + "'s process counted to " + counter + " on its own counter");
    }
}
