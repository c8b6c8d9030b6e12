package dev.workbook.benchmarks;

import dev.workbook.measure.MachineFacts;
import dev.workbook.ipc.AuthenticationException;
import dev.workbook.ipc.Client;
import dev.workbook.ipc.Connection;
import dev.workbook.ipc.Listener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a legitimate client waits to be accepted by a {@link Listener} while other connections
 * that never authenticate are open: idle ones (connect, then silence) or garbage ones (a bogus frame).
 * Each sample times one client from the start of {@link Client#connect} until the listener's
 * {@link Listener#accept()} returns its connection. Everything runs in this JVM, over loopback.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar listener [--quick] [--samples N] [--idle 0,1,2,100]
 * </pre>
 *
 * Target: with 100 idle or garbage connections open, p50 at most {@value #TARGET_P50_MILLIS} ms.
 */
public final class ListenerBenchmark {

    static final double TARGET_P50_MILLIS = 50;
    /** How long one sample may take before the row is reported as failed. */
    private static final long SAMPLE_LIMIT_SECONDS = 45;
    private static final int STRANGER_CONNECT_MILLIS = 2_000;

    private ListenerBenchmark() {
    }

    /** One row: the clients' latencies, or why they stopped. */
    private record Row(String others, int count, List<Double> millis, String failure, double seconds) {
        double p50() {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int samples = PrimesBenchmark.option(args, "--samples", quick ? 5 : 30);
        int[] idleCounts = Arrays.stream(stringOption(args, "--idle", "0,1,2,100").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int most = Arrays.stream(idleCounts).max().orElse(0);

        System.out.print(MachineFacts.current());
        System.out.printf(Locale.ROOT, "load average: %s%n%nListener: a legitimate client's wait to be accepted while"
                + " other connections are open (%d samples a row, loopback)%n%n", MachineFacts.loadAverage(), samples);
        measure("idle", 0, samples); // warm-up: class loading and the first HMACs are not what is measured
        List<Row> rows = new ArrayList<>();
        for (int idle : idleCounts) {
            rows.add(measure("idle", idle, samples));
        }
        if (most > 0) {
            rows.add(measure("garbage", most, samples));
        }
        System.out.println("| other connections | served | p50 ms | max ms | row s | note |");
        System.out.println("|---|---|---|---|---|---|");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "| %d %s | %d/%d | %.2f | %.2f | %.1f | %s |%n", row.count(), row.others(),
                    row.millis().size(), samples, row.p50(), row.max(), row.seconds(),
                    row.failure() == null ? "" : row.failure());
        }
        System.out.println();
        for (Row row : rows) {
            if (row.count() == most && most > 0) {
                boolean met = row.failure() == null && row.p50() <= TARGET_P50_MILLIS;
                System.out.printf(Locale.ROOT, "%d %s connections open: client accepted in %.2f ms (p50; target: at most"
                        + " %.0f ms) -> %s%n", row.count(), row.others(), row.p50(), TARGET_P50_MILLIS, met ? "met" : "MISSED");
            }
        }
    }

    private static Row measure(String others, int count, int samples) throws Exception {
        byte[] key = Listener.generateKey();
        List<Socket> strangers = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        String failure = null;
        String strangersFailure = null;
        long rowStart = System.nanoTime();
        ExecutorService acceptor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "listener-benchmark-accept");
            thread.setDaemon(true);
            return thread;
        });
        try (Listener listener = Listener.open(key)) {
            InetSocketAddress address = listener.address();
            for (int i = 0; i < count; i++) {
                Socket stranger = new Socket();
                try {
                    stranger.connect(address, STRANGER_CONNECT_MILLIS);
                } catch (IOException e) {
                    stranger.close(); // the listener's backlog is full: it is not accepting
                    strangersFailure = "only " + i + " of " + count + " others could connect (" + e.getMessage() + ")";
                    break;
                }
                strangers.add(stranger);
                if (others.equals("garbage")) {
                    OutputStream out = stranger.getOutputStream();
                    out.write(new byte[] {0x7f, 0, 0, 0, 1, 2, 3, 4}); // announces a 2 GB handshake frame
                    out.flush();
                }
            }
            for (int i = 0; i < samples && failure == null; i++) {
                Future<Long> accepted = acceptor.submit(() -> acceptLegitimate(listener));
                long start = System.nanoTime();
                try (Connection client = Client.connect(address, key)) {
                    long end = accepted.get(SAMPLE_LIMIT_SECONDS, TimeUnit.SECONDS);
                    millis.add((end - start) / 1e6);
                } catch (IOException | ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    failure = String.format(Locale.ROOT, "failed after %.1f s: %s", (System.nanoTime() - start) / 1e9,
                            cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                    accepted.cancel(true);
                }
            }
        } finally {
            for (Socket stranger : strangers) {
                stranger.close();
            }
            acceptor.shutdownNow();
            acceptor.awaitTermination(SAMPLE_LIMIT_SECONDS, TimeUnit.SECONDS);
        }
        if (strangersFailure != null) {
            failure = strangersFailure + (failure == null ? "" : "; " + failure);
        }
        return new Row(others, count, millis, failure, (System.nanoTime() - rowStart) / 1e9);
    }

    /** Accepts until the legitimate client's connection comes out; the time it did. */
    private static long acceptLegitimate(Listener listener) throws IOException {
        while (true) {
            try (Connection connection = listener.accept()) {
                return System.nanoTime();
            } catch (AuthenticationException | java.net.SocketTimeoutException | java.io.EOFException e) {
                // a stranger's failed handshake, thrown by accept itself: wait for the next
            }
        }
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
