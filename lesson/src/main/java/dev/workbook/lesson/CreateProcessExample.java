package dev.workbook.lesson;

import dev.workbook.process.ChildProcess;
import dev.workbook.process.ProcessInfo;
import dev.workbook.process.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lesson's first experiment: two child processes and the main one run the same function on "the
 * same" list {@code [20, 30, 40]}, and each takes its first element. All three print a loop count of
 * 20: each process has its own copy of the list, so one process's {@code remove(0)} is invisible to
 * the others.
 *
 * <p>Run: {@code java -cp lesson/target/classes:lib/target/classes dev.workbook.lesson.CreateProcessExample}
 */
public final class CreateProcessExample {

    private CreateProcessExample() {
    }

    /**
     * What a run leaves behind.
     *
     * @param children the two children, ended, with their timings
     * @param mainTask how long {@link #subTask} took in the main process, where no JVM had to start
     * @param mainList the main process's list afterwards
     */
    public record Outcome(List<TimedChild> children, Duration mainTask, List<Integer> mainList) {
    }

    public static void main(String[] args) throws Exception {
        Outcome outcome = run();
        List<String> exits = new ArrayList<>();
        for (TimedChild timed : outcome.children()) {
            exits.add(timed.child().name() + "=" + timed.child().exitCode());
        }
        System.out.println("Main process's list afterwards: " + outcome.mainList() + "; exit codes: "
                + String.join(", ", exits));
    }

    /** Starts {@code subTask("Ping", nums)} and {@code subTask("Pong", nums)} in children, runs {@code subTask("Good", nums)}, and waits. */
    public static Outcome run() throws Exception {
        List<Integer> nums = new ArrayList<>(List.of(20, 30, 40));
        // The arguments are serialized at start(): each child gets a copy of nums as it is then.
        TimedChild ping = TimedChild.start(new ChildProcess(CreateProcessExample::subTask, "Ping", nums));
        TimedChild pong = TimedChild.start(new ChildProcess(CreateProcessExample::subTask, "Pong", nums));
        long start = System.nanoTime();
        subTask("Good", nums);
        Duration mainTask = Duration.ofNanos(System.nanoTime() - start);
        ping.child().join();
        pong.child().join();
        return new Outcome(List.of(ping, pong), mainTask, List.copyOf(nums));
    }

    /** The lesson's {@code sub_task}: who am I, how many loops (the list's first element), then loop. */
    static void subTask(String content, List<Integer> nums) throws InterruptedException {
        ProcessInfo me = Processes.current();
        System.out.println("PID: " + me.pid());
        System.out.println("Name: " + me.name());
        int total = nums.remove(0);
        System.out.println("Loop count: " + total);
        Thread.sleep(500);
        for (int counter = 1; counter <= total; counter++) {
            System.out.println(counter + ": " + content);
            Thread.sleep(10);
        }
    }
}
