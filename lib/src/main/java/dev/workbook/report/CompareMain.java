package dev.workbook.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./workbook compare [--out FILE] DIR...}: the results that runs saved in each {@code DIR} (its
 * {@code summary.csv}, as {@code ExperimentResult.save} and the {@code primes} alias write it; the page names
 * each machine after its folder), beside the
 * lesson's own figures, as one self-contained HTML page ({@link HtmlReport}: no request outside the file).
 * Default output: {@code reports/compare.html}.
 */
public final class CompareMain {

    private CompareMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns its exit status (0 done, 2 bad arguments, 1 results that could not be read). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path page = Path.of("reports", "compare.html");
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                page = Path.of(args[++i]);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println("usage: ./workbook compare [--out FILE] DIR...   (each DIR holds a summary.csv of a run)");
                return 0;
            } else if (args[i].startsWith("-")) {
                err.println("compare: unknown option " + args[i] + "; usage: ./workbook compare [--out FILE] DIR...");
                return 2;
            } else {
                dirs.add(Path.of(args[i]));
            }
        }
        if (dirs.isEmpty()) {
            err.println("compare: give the directories of the runs to compare, each with the summary.csv a run "
                    + "wrote (e.g. the results/primes-DATE/ folder 'jbang primes' writes): ./workbook compare alice/ bob/");
            return 2;
        }
        try {
            Comparison comparison = Comparison.load(dirs.toArray(Path[]::new));
            Path written = page(comparison).write(page);
            out.println("compared " + (comparison.machines().size() - 1) + " run(s) with the lesson's: " + written);
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err.println("compare: " + e.getMessage() + " (nothing written)");
            return 1;
        }
    }

    static HtmlReport page(Comparison comparison) throws IOException {
        return new HtmlReport("Threads versus processes, machine by machine")
                .paragraph("The lesson's prime check on each machine whose results were given, beside the lesson's"
                        + " own figures (a 4-core Mac running CPython): the thread pool and the process pool, with"
                        + " one worker per core (the lesson's thread pool had 16).")
                .chart(comparison.wallTimeChart())
                .chart(comparison.cpuChart())
                .heading("Every result")
                .table(comparison.table())
                .note("Machines: " + String.join("; ", comparison.machines()) + ". Figures measured on different"
                        + " machines under different loads; the lesson's are as its 'time' lines printed them.");
    }
}
