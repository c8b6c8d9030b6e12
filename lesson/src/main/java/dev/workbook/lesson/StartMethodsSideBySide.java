package dev.workbook.lesson;

import dev.workbook.measure.CPython;
import dev.workbook.process.StartMethod;
import dev.workbook.process.StartMethodTimes;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM's start methods beside CPython's, measured in one run: what the {@code create-process} and
 * {@code fork} programs print after the lesson's experiment. CPython's rows need a {@code python3}
 * (Debian's {@code /usr/bin/python3} first); without one they are skipped, saying so.
 */
public final class StartMethodsSideBySide {

    private StartMethodsSideBySide() {
    }

    /**
     * Times {@code starts} starts of each method (one untimed start first) and prints one line per
     * method, then what the figures mean. Blocks for a second or two on 2 cores.
     *
     * @throws IOException          if CPython cannot be run or a timed child fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static void print(PrintStream out, int starts) throws IOException, InterruptedException {
        List<StartMethodTimes.Timing> timings = new ArrayList<>();
        timings.add(StartMethodTimes.java(StartMethod.SPAWN, starts));
        timings.add(StartMethodTimes.java(StartMethod.FORKSERVER, starts));
        Optional<String> python = CPython.find();
        if (python.isPresent()) {
            timings.addAll(StartMethodTimes.cpython(python.get(), starts));
        }
        out.println("Start methods, median of " + starts + " starts each (measured in this run):");
        for (StartMethodTimes.Timing timing : timings) {
            out.println("- " + timing);
        }
        if (python.isEmpty()) {
            out.println("- CPython's fork, spawn and forkserver: skipped, no python3 here");
        }
        out.println("  java forkserver hands the function to a spare JVM that booted before start() was called;"
                + " CPython's fork copies the running parent. (StartMethod, docs/processes.md)");
    }
}
