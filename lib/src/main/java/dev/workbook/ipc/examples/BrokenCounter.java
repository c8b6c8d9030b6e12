package dev.workbook.ipc.examples;

/**
 * The seed's broken attempt: two processes that should stop once "Ping" and "Pong" together reach 50,
 * counting with a global variable. Each child JVM has its own copy of {@link #counter}, so each counts
 * to 50 on its own and 100 words come out: processes do not share memory unless they ask for it.
 *
 * <p>Run: {@code java -cp ... dev.workbook.ipc.examples.BrokenCounter}. Compare {@link PingPong}.
 */
public final class BrokenCounter {

    /** One per JVM: the parent's and each child's are three different variables. */
    private static int counter = 0;

    private BrokenCounter() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            subTask(args[0]);
            return;
        }
        Process ping = ChildLauncher.start(BrokenCounter.class, "Ping");
        Process pong = ChildLauncher.start(BrokenCounter.class, "Pong");
        ping.waitFor();
        pong.waitFor();
        System.out.println();
        System.out.println("The parent's counter is still " + counter + ": each child counted on its own copy.");
    }

    private static void subTask(String word) throws InterruptedException {
        while (counter < 50) {
            System.out.print(word);
            System.out.flush();
            counter += 1;
            Thread.sleep(10);
        }
    }
}
