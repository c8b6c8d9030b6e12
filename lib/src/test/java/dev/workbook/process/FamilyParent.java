package dev.workbook.process;

import java.util.concurrent.Future;

/**
 * A parent JVM for {@link ParentLifetimeTest}: starts children of every kind, prints their pids as
 * {@code child <pid>} lines, then {@code ready}, then does what its argument says.
 */
public final class FamilyParent {

    private FamilyParent() {
    }

    static void sleepLong() throws InterruptedException {
        Thread.sleep(120_000);
    }

    static void startGrandchild() throws Exception {
        ChildProcess grandchild = new ChildProcess(FamilyParent::sleepLong);
        grandchild.start();
        System.out.println("child " + grandchild.pid());
        sleepLong();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("spares")) {
            // A forkserver child that has run leaves a spare booting; then a child that keeps running.
            ChildProcess first = new ChildProcess(() -> { }).setStartMethod(StartMethod.FORKSERVER);
            first.start();
            first.join();
            if (!StartMethod.awaitSpares(java.time.Duration.ofSeconds(60))) {
                System.out.println("the spare did not get warm");
            }
            for (long spare : Spares.idlePids()) {
                System.out.println("child " + spare);
            }
            ChildProcess running = new ChildProcess(FamilyParent::sleepLong).setStartMethod(StartMethod.SPAWN);
            running.start();
            System.out.println("child " + running.pid());
            System.out.println("ready");
            sleepLong();
            return;
        }
        if (mode.equals("daemon")) {
            ChildProcess daemon = new ChildProcess(FamilyParent::sleepLong).setDaemon(true);
            daemon.start();
            System.out.println("child " + daemon.pid());
            ChildProcess worker = new ChildProcess(() -> {
                Thread.sleep(1000);
                System.out.println("non-daemon child done");
            });
            worker.start();
            System.out.println("ready");
            return; // main ends: the non-daemon child keeps this JVM up until it is done
        }
        ChildProcess plain = new ChildProcess(FamilyParent::sleepLong);
        ChildProcess daemon = new ChildProcess(FamilyParent::sleepLong).setDaemon(true);
        ChildProcess withGrandchild = new ChildProcess(FamilyParent::startGrandchild);
        for (ChildProcess child : new ChildProcess[] {plain, daemon, withGrandchild}) {
            child.start();
            System.out.println("child " + child.pid());
        }
        ProcessPool pool = new ProcessPool(2);
        Future<Long> busy = pool.submit(() -> {
            System.out.println("child " + ProcessHandle.current().pid());
            sleepLong();
            return 0L;
        });
        pool.awaitReady();
        for (long pid : pool.workerPids()) {
            System.out.println("child " + pid);
        }
        while (Processes.activeChildren().size() < 3 || !busy.isDone() && pool.workerPids().size() < 2) {
            Thread.sleep(10);
        }
        Thread.sleep(500); // let the grandchild and the busy task report themselves
        System.out.println("ready");
        if (mode.equals("exit")) {
            System.exit(0);
        }
        sleepLong();
    }
}
