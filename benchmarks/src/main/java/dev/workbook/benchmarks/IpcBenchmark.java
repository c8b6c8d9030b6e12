package dev.workbook.benchmarks;

import dev.workbook.benchmarks.ipc.IpcRoles;
import dev.workbook.ipc.Pipe;
import dev.workbook.ipc.SharedQueue;
import dev.workbook.ipc.WaitStrategy;
import dev.workbook.ipc.bench.IpcBench;
import dev.workbook.measure.MachineFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the workbook's inter-process primitives between JVM processes, and CPython's
 * {@code multiprocessing} on the same machine for comparison, and prints one table.
 *
 * <p>Every figure comes from two (or four) fresh child JVMs, the shared-memory ones pinned to their own
 * cores with {@code taskset} when there is one (two spinning processes must not share a core): this JVM
 * only orchestrates. Rows:
 * <ul>
 *   <li>queue round trip: a driver puts a message on one {@link SharedQueue}, an echo process takes it and
 *       puts it on a second queue, the driver takes it back; p50 and p99 of that time (every sample kept),
 *       for 8-byte messages ({@code Long}) and small objects (a serialized record), with the spinning
 *       and the default (backoff) wait strategies;</li>
 *   <li>queue one-way: one process puts as fast as it can, another gets; messages per second;</li>
 *   <li>queue 2x2: two producer processes, two consumer processes, default strategy;</li>
 *   <li>pipe round trip over a {@link Pipe} (Unix-domain socket);</li>
 *   <li>python: the same shapes with {@code multiprocessing.Queue} and {@code Pipe}, when a
 *       {@code python3} is found.</li>
 * </ul>
 * The measuring loops are the workbook's {@link dev.workbook.ipc.bench.IpcProbes}, and the CPython rows come from
 * {@link IpcBench#pythonRows}: {@link IpcBench} is the quick version of this benchmark.
 * Run with {@code --quick} for a shorter, noisier pass, {@code --no-python}, {@code --no-pin}, or
 * {@code --only=rtt|oneway|m2m|pipe|python} for one group of rows.
 */
public final class IpcBenchmark {

    private static final Pattern RESULT = Pattern.compile("RESULT (.*)");

    private final boolean quick;
    private final boolean pin;
    private final boolean python;
    private final String only;
    private final List<String[]> rows = new ArrayList<>();

    private IpcBenchmark(boolean quick, boolean pin, boolean python, String only) {
        this.quick = quick;
        this.pin = pin;
        this.python = python;
        this.only = only;
    }

    private boolean runs(String group) {
        return only == null || only.equals(group);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("role=")) {
            IpcRoles.run(args);
            return;
        }
        List<String> options = List.of(args);
        String only = null;
        for (String option : options) {
            if (option.matches("--only=(rtt|oneway|m2m|pipe|python)")) {
                only = option.substring("--only=".length());
            } else if (!List.of("--quick", "--no-pin", "--no-python").contains(option)) {
                System.err.println("usage: IpcBenchmark [--quick] [--no-pin] [--no-python]"
                        + " [--only=rtt|oneway|m2m|pipe|python]");
                System.exit(2);
            }
        }
        boolean canPin = Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
        new IpcBenchmark(options.contains("--quick"), canPin && !options.contains("--no-pin"),
                !options.contains("--no-python"), only).run();
    }

    private void run() throws Exception {
        System.out.println("IPC benchmark, " + LocalDateTime.now().withNano(0) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, java " + System.getProperty("java.version")
                + ", load average " + MachineFacts.loadAverage() + (pin ? ", children pinned with taskset" : ", not pinned"));
        int rttCount = quick ? 20_000 : 100_000;
        int rttWarm = quick ? 10_000 : 50_000;
        for (String mode : List.of("spin", "backoff")) {
            for (String payload : List.of("long", "object")) {
                if (runs("rtt")) {
                    queueRoundTrip(mode, payload, rttWarm, rttCount);
                }
            }
        }
        if (runs("rtt")) {
            // Sparse traffic: the echo has parked by the time each message comes, as a real consumer would.
            queueRoundTrip("backoff", "long", 50, quick ? 200 : 1000, 5_000);
        }
        for (String mode : List.of("spin", "backoff")) {
            if (runs("oneway")) {
                queueOneWay(mode, "long", quick ? 2_000_000 : 10_000_000);
                queueOneWay(mode, "object", quick ? 200_000 : 1_000_000);
            }
        }
        if (runs("m2m")) {
            queueManyToMany(quick ? 500_000 : 2_000_000);
        }
        for (String payload : List.of("long", "object")) {
            if (runs("pipe")) {
                pipeRoundTrip(payload, quick ? 5_000 : 20_000, quick ? 10_000 : 50_000);
            }
        }
        if (python && runs("python")) {
            pythonRows();
        }
        printTable();
        System.out.println("load average at the end: " + MachineFacts.loadAverage());
    }

    // ---------------------------------------------------------------- scenarios

    private void queueRoundTrip(String mode, String payload, int warm, int count) throws Exception {
        queueRoundTrip(mode, payload, warm, count, 0);
    }

    private void queueRoundTrip(String mode, String payload, int warm, int count, long pauseMicros) throws Exception {
        WaitStrategy strategy = strategy(mode);
        try (SharedQueue there = SharedQueue.create("bench-rtt-a-" + ProcessHandle.current().pid(), 1024, 240);
             SharedQueue back = SharedQueue.create("bench-rtt-b-" + ProcessHandle.current().pid(), 1024, 240)) {
            there.waitStrategy(strategy);
            back.waitStrategy(strategy);
            Process echo = launch(1, "role=queue-echo", encode(there), encode(back));
            Map<String, String> result = result(launch(0, "role=queue-rtt", encode(there), encode(back), payload,
                    "" + warm, "" + count, "" + pauseMicros));
            finish(echo);
            rows.add(new String[] {"java SharedQueue", pauseMicros == 0 ? "round trip" : "round trip, 1 per "
                    + pauseMicros / 1000 + " ms", payload, mode,
                    result.get("p50_us"), result.get("p99_us"), "", count + " round trips"});
        }
    }

    private void queueOneWay(String mode, String payload, int count) throws Exception {
        try (SharedQueue queue = SharedQueue.create("bench-oneway-" + ProcessHandle.current().pid(), 16_384, 240)) {
            queue.waitStrategy(strategy(mode));
            Process consumer = launch(1, "role=queue-consume", encode(queue), "" + count);
            Process producer = launch(0, "role=queue-produce", encode(queue), payload, "" + count);
            Map<String, String> result = result(consumer);
            finish(producer);
            rows.add(new String[] {"java SharedQueue", "one-way", payload, mode, "", "",
                    result.get("rate"), count + " messages"});
        }
    }

    private void queueManyToMany(int perProducer) throws Exception {
        try (SharedQueue queue = SharedQueue.create("bench-m2m-" + ProcessHandle.current().pid(), 16_384, 240)) {
            String handle = encode(queue);
            List<Process> consumers = List.of(launch(1, "role=queue-drain", handle), launch(0, "role=queue-drain", handle));
            List<Process> producers = List.of(launch(0, "role=queue-produce", handle, "long", "" + perProducer),
                    launch(1, "role=queue-produce", handle, "long", "" + perProducer));
            for (Process producer : producers) {
                finish(producer);
            }
            queue.put("stop");
            queue.put("stop");
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long total = 0;
            for (Process consumer : consumers) {
                Map<String, String> result = result(consumer);
                total += Long.parseLong(result.get("count"));
                first = Math.min(first, Long.parseLong(result.get("first_ns")));
                last = Math.max(last, Long.parseLong(result.get("last_ns")));
            }
            double rate = total / ((last - first) / 1e9);
            rows.add(new String[] {"java SharedQueue", "2 producers x 2 consumers", "long", "backoff", "", "",
                    String.format(Locale.ROOT, "%.0f", rate), total + " messages"});
        }
    }

    private void pipeRoundTrip(String payload, int warm, int count) throws Exception {
        try (Pipe pipe = Pipe.open()) {
            // Not pinned, like the CPython rows: processes that sleep in the kernel hand off fastest when the
            // scheduler may run them on one core (no cross-core wake-up), and pinning measured 2-3x slower.
            Process echo = launch(-1, "role=pipe-echo", encode(pipe.right()));
            Map<String, String> result = result(launch(-1, "role=pipe-rtt", encode(pipe.left()), payload,
                    "" + warm, "" + count));
            finish(echo);
            rows.add(new String[] {"java Pipe", "round trip", payload, "blocking read",
                    result.get("p50_us"), result.get("p99_us"), "", count + " round trips"});
        }
    }

    private void pythonRows() throws Exception {
        List<String> arguments = quick ? List.of("--quick") : List.of();
        for (IpcBench.Row r : IpcBench.pythonRows(arguments)) {
            if (!r.note().isEmpty()) {
                System.out.println("no CPython rows: " + r.note());
                continue;
            }
            rows.add(new String[] {r.transport(), r.shape(), r.payload(), r.waiting(), figure(r.p50Micros()),
                    figure(r.p99Micros()), figure(r.messagesPerSecond()), r.sample()});
        }
    }

    private static String figure(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    // ---------------------------------------------------------------- plumbing

    private static WaitStrategy strategy(String mode) {
        return mode.equals("spin") ? WaitStrategy.spin() : WaitStrategy.backoff();
    }

    private Process launch(int core, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (pin && core >= 0) {
            command.addAll(List.of("/usr/bin/taskset", "-c", String.valueOf(core)));
        }
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms256m", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), IpcBenchmark.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Map<String, String> result(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("benchmark child failed; it printed:\n" + output);
        }
        Matcher matcher = RESULT.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("benchmark child printed no RESULT line:\n" + output);
        }
        return parse(matcher.group(1));
    }

    private static void finish(Process process) throws InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("benchmark child " + process.pid() + " did not end");
        }
    }

    private static Map<String, String> parse(String fields) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fields.trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                values.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return values;
    }

    private static String encode(Serializable handle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private void printTable() {
        String[] header = {"implementation", "shape", "payload", "waiting", "p50 us", "p99 us", "msgs/s", "sample"};
        List<String[]> all = new ArrayList<>();
        all.add(header);
        for (String[] row : rows) {
            String[] formatted = row.clone();
            for (int i = 4; i <= 6; i++) {
                formatted[i] = formatNumber(row[i], i == 6);
            }
            all.add(formatted);
        }
        int[] widths = new int[header.length];
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
            }
        }
        System.out.println();
        for (int r = 0; r < all.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < header.length; i++) {
                String cell = all.get(r)[i] == null ? "" : all.get(r)[i];
                line.append(i >= 4 && i <= 6 ? String.format("%" + widths[i] + "s", cell)
                        : String.format("%-" + widths[i] + "s", cell)).append("  ");
            }
            System.out.println(line.toString().stripTrailing());
            if (r == 0) {
                System.out.println("-".repeat(line.toString().stripTrailing().length()));
            }
        }
    }

    private static String formatNumber(String value, boolean rate) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        double number = Double.parseDouble(value);
        if (rate) {
            return String.format(Locale.ROOT, "%,.0f", number);
        }
        return String.format(Locale.ROOT, number < 10 ? "%.2f" : "%.1f", number);
    }
}
