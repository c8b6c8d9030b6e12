package dev.workbook.ipc.bench;

import dev.workbook.experiment.Progress;
import dev.workbook.ipc.Pipe;
import dev.workbook.ipc.SharedQueue;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import dev.workbook.measure.CPython;
import dev.workbook.process.CompletedProcess;
import dev.workbook.process.ProcessPool;
import dev.workbook.process.Subprocess;
import dev.workbook.process.SubprocessException;
import dev.workbook.report.JsonLines;
import dev.workbook.report.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * A quick measurement of how fast this machine moves messages between two JVMs, and between two
 * CPython processes when there is a {@code python3}: the "how does my machine behave" pass of the IPC
 * benchmark, for a script or a notebook. (The benchmarks module's {@code IpcBenchmark} is the full,
 * longer version, with processes pinned to cores.)
 *
 * <pre>{@code
 * Table table = IpcBench.quick().run();   // about 10 s
 * System.out.println(table.print());
 * }</pre>
 *
 * <h2>What is measured</h2>
 * Rows, 8-byte messages ({@code Long}) throughout:
 * <ul>
 *   <li>{@code SharedQueue} round trip, with the {@linkplain WaitStrategy#spin() spinning} and the
 *       default ({@linkplain WaitStrategy#backoff() backoff}) wait strategies: one process puts a
 *       message on a queue, the other takes it and puts it on a second queue, the first takes it
 *       back; p50 and p99 of that time;</li>
 *   <li>the same, one round trip every 5 ms, so that the echo is asleep when each message comes
 *       (what the default strategy's wake-up costs);</li>
 *   <li>{@code SharedQueue} one way, both strategies: one process puts as fast as it can, the other
 *       takes; messages per second;</li>
 *   <li>{@code Pipe} round trip (a Unix-domain socket);</li>
 *   <li>CPython's {@code multiprocessing.Queue} round trip and one way, from {@code ipc_bench.py}
 *       (a resource next to this class), when a {@code python3} runs it; otherwise a row that says why not.</li>
 * </ul>
 * The two sides of each Java row run in the two workers of a {@link ProcessPool}, started once
 * (this JVM only hands them their primitives and collects the figures), with {@link IpcProbes}. As in
 * the full benchmark, the workers are pinned to a core each ({@code taskset}, where there is one and
 * this JVM may use two cores or more) for the shared-memory rows, where two waiting processes must not
 * take turns on one core, and let loose for the pipe row, where sleeping processes hand off fastest
 * wherever the scheduler puts them. Other programs still share those cores: on a busy machine the
 * figures move with the load.
 *
 * On a machine with one core, the spinning rows are skipped: two spinning processes on one core
 * would each wait a whole time slice for the other.
 *
 * <h2>The table</h2>
 * Columns {@code transport}, {@code shape}, {@code waiting}, {@code p50_us}, {@code p99_us},
 * {@code msgs_per_sec} (missing where they do not apply), {@code sample}, and {@code note} when a row
 * was skipped.
 *
 * <p>Configured and run from one thread.
 */
public final class IpcBench {

    private static final long TIMEOUT_SECONDS = 120;
    private static final long SPARSE_PAUSE_MICROS = 5_000;

    private int warmRoundTrips = 10_000;
    private int roundTrips = 20_000;
    private int sparseRoundTrips = 100;
    private int oneWayMessages = 1_000_000;
    private boolean python = true;
    private boolean pin = true;
    private Progress progress = Progress.auto();

    private IpcBench() {
    }

    /** The quick pass: 20,000 timed round trips after 10,000 untimed, a million messages one way, 100 sparse round trips. */
    public static IpcBench quick() {
        return new IpcBench();
    }

    /**
     * How many round trips to time per round-trip row, after how many untimed ones (for the JIT).
     *
     * @throws IllegalArgumentException if timed is below 1 or warm below 0
     */
    public IpcBench roundTrips(int warm, int timed) {
        if (timed < 1 || warm < 0) {
            throw new IllegalArgumentException("round trips: need at least 1 timed and 0 or more warm-up ones, got "
                    + timed + " and " + warm);
        }
        this.warmRoundTrips = warm;
        this.roundTrips = timed;
        return this;
    }

    /**
     * How many messages each one-way row sends.
     *
     * @throws IllegalArgumentException if below 2 (a rate needs a first and a last message)
     */
    public IpcBench oneWayMessages(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("one-way rows need at least 2 messages, got " + count);
        }
        this.oneWayMessages = count;
        return this;
    }

    /**
     * How many round trips the sparse row times, one every 5 ms (0 leaves the row out).
     *
     * @throws IllegalArgumentException if negative
     */
    public IpcBench sparseRoundTrips(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("sparse round trips must be 0 or more, got " + count);
        }
        this.sparseRoundTrips = count;
        return this;
    }

    /** Whether to run CPython's rows (default true; they are skipped, with a note, where there is no python3). */
    public IpcBench python(boolean on) {
        this.python = on;
        return this;
    }

    /** Whether to pin the workers to cores for the shared-memory rows, where possible (default true). */
    public IpcBench pin(boolean on) {
        this.pin = on;
        return this;
    }

    /** Where progress goes (default {@link Progress#auto()}). */
    public IpcBench progress(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Runs every row and returns the table.
     *
     * @throws ExecutionException   if a measuring process failed (the cause says how)
     * @throws TimeoutException     if a row took more than two minutes
     * @throws InterruptedException if interrupted; the workers are stopped before this returns
     */
    public Table run() throws Exception {
        List<IpcResult> rows = new ArrayList<>();
        int steps = 2 * modes().size() + 1 + (sparseRoundTrips > 0 ? 1 : 0) + (python ? 1 : 0);
        try (Progress p = progress) {
            p.start("IPC between two JVMs" + (python ? " and two CPython processes" : ""), steps);
            IpcMeasurements measure = new IpcMeasurements(Duration.ofSeconds(TIMEOUT_SECONDS));
            try (ProcessPool pool = ProcessPool.builder().workers(2).name("ipc-bench").build()) {
                pool.awaitReady();
                List<Long> workers = pool.workerPids();
                String waitingNote = pin && CoreAffinity.pinApart(workers) ? ", pinned" : "";
                for (WaitStrategy mode : modes()) {
                    step(p, rows, measure.queueRoundTrip(pool, pool, mode, Payload.LONG, waitingNote, warmRoundTrips,
                            roundTrips, 0));
                }
                if (sparseRoundTrips > 0) {
                    step(p, rows, measure.queueRoundTrip(pool, pool, WaitStrategy.backoff(), Payload.LONG, waitingNote,
                            Math.min(10, sparseRoundTrips), sparseRoundTrips, SPARSE_PAUSE_MICROS));
                }
                for (WaitStrategy mode : modes()) {
                    step(p, rows, measure.queueOneWay(pool, pool, mode, Payload.LONG, waitingNote, oneWayMessages));
                }
                if (!modes().contains(WaitStrategy.spin())) {
                    rows.add(IpcResult.skipped("java SharedQueue", "spinning needs a core for each of the two processes;"
                            + " this JVM may use " + Runtime.getRuntime().availableProcessors()));
                }
                if (!waitingNote.isEmpty()) {
                    CoreAffinity.release(workers);
                }
                step(p, rows, measure.pipeRoundTrip(pool, Payload.LONG, warmRoundTrips / 2, roundTrips / 2));
            }
            if (python) {
                List<IpcResult> pythonRows = pythonResults(List.of("--quick", "--only=queue-rtt,queue-oneway", "--payloads=long"));
                rows.addAll(pythonRows);
                p.step("CPython: " + (pythonRows.size() == 1 && !pythonRows.get(0).note().isEmpty()
                        ? pythonRows.get(0).note() : pythonRows.size() + " rows"));
            }
        }
        return table(rows);
    }

    /** The wait strategies to measure: spinning only where each process can have a core of its own. */
    static List<WaitStrategy> modes() {
        return Runtime.getRuntime().availableProcessors() >= 2 ? List.of(WaitStrategy.spin(), WaitStrategy.backoff())
                : List.of(WaitStrategy.backoff());
    }

    private static void step(Progress progress, List<IpcResult> rows, IpcResult row) {
        rows.add(row);
        String figure = Double.isNaN(row.p50Micros())
                ? String.format(Locale.ROOT, "%,.0f msgs/s", row.messagesPerSecond())
                : String.format(Locale.ROOT, "p50 %.2f us", row.p50Micros());
        progress.step(row.transport() + " " + row.shape() + " (" + row.waiting() + "): " + figure);
    }

    /** The rows as a table, numbers printed readably. */
    public static Table table(List<IpcResult> rows) {
        StringColumn transport = StringColumn.create("transport");
        StringColumn shape = StringColumn.create("shape");
        StringColumn payload = StringColumn.create("payload");
        StringColumn waiting = StringColumn.create("waiting");
        DoubleColumn p50 = DoubleColumn.create("p50_us");
        DoubleColumn p99 = DoubleColumn.create("p99_us");
        DoubleColumn rate = DoubleColumn.create("msgs_per_sec");
        StringColumn sample = StringColumn.create("sample");
        StringColumn note = StringColumn.create("note");
        for (IpcResult row : rows) {
            transport.append(row.transport());
            shape.append(row.shape());
            payload.append(row.payload());
            waiting.append(row.waiting());
            appendFigure(p50, row.p50Micros());
            appendFigure(p99, row.p99Micros());
            appendFigure(rate, row.messagesPerSecond());
            sample.append(row.sample());
            note.append(row.note());
        }
        Table table = Table.create("IPC between two processes, " + Runtime.getRuntime().availableProcessors() + " cores",
                transport, shape, payload, waiting, p50, p99, rate, sample);
        if (rows.stream().anyMatch(row -> !row.note().isEmpty())) {
            table.addColumns(note);
        }
        Tables.readable(table);
        rate.setPrintFormatter(NumberColumnFormatter.intsWithGrouping());
        return table;
    }

    private static void appendFigure(DoubleColumn column, double value) {
        if (Double.isNaN(value)) {
            column.appendMissing();
        } else {
            column.append(value);
        }
    }

    // ---------------------------------------------------------------- the CPython rows

    /**
     * Runs {@code ipc_bench.py} with these arguments ({@code --quick}, {@code --only=...},
     * {@code --payloads=...}; see the script) on the interpreter {@link CPython#find} chooses and
     * returns its figures, {@code python Queue} and {@code python Pipe}. Where no python3 runs it, it
     * fails or it takes more than two minutes (it is then killed), returns one row whose note says why.
     *
     * @throws IOException          if the script cannot be written to a temporary file
     * @throws InterruptedException if interrupted while it runs (it is killed)
     */
    public static List<IpcResult> pythonResults(List<String> arguments) throws IOException, InterruptedException {
        Optional<String> interpreter = CPython.find();
        if (interpreter.isEmpty()) {
            return List.of(IpcResult.skipped("python", "no python3 found"));
        }
        Path script = Files.createTempFile("ipc_bench", ".py");
        try (InputStream in = IpcBench.class.getResourceAsStream("ipc_bench.py")) {
            if (in == null) {
                return List.of(IpcResult.skipped("python", "ipc_bench.py is missing from the class path, next to "
                        + IpcBench.class.getName()));
            }
            Files.write(script, in.readAllBytes());
            List<String> command = new ArrayList<>(List.of(interpreter.get(), script.toString()));
            command.addAll(arguments);
            CompletedProcess run;
            try {
                run = Subprocess.of(command).timeout(Duration.ofSeconds(TIMEOUT_SECONDS)).run();
            } catch (SubprocessException e) {
                return List.of(IpcResult.skipped("python", e.getMessage()));
            }
            if (run.exitCode() != 0) {
                return List.of(IpcResult.skipped("python", interpreter.get() + " ipc_bench.py failed with exit code "
                        + run.exitCode() + ": " + (run.stderr() + run.stdout()).strip().lines().reduce((a, b) -> b).orElse("")));
            }
            return JsonLines.read(run.stdout()).stream().map(IpcResult::fromJson).toList();
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
