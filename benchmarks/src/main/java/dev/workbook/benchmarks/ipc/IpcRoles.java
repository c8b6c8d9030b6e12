package dev.workbook.benchmarks.ipc;

import dev.workbook.ipc.bench.IpcProbes;
import dev.workbook.ipc.bench.IpcProbes.Latency;
import dev.workbook.ipc.bench.IpcProbes.Payload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.Locale;

/**
 * The child-process side of {@code IpcBenchmark}: each role runs in its own JVM, takes its primitives
 * as serialized handles (base64 arguments), runs one of the workbook's {@link IpcProbes} and prints one
 * {@code RESULT key=value...} line.
 */
public final class IpcRoles {

    private IpcRoles() {
    }

    public static void run(String[] args) throws Exception {
        switch (args[0]) {
            case "role=queue-echo" -> IpcProbes.queueEcho(decode(args[1]), decode(args[2]));
            case "role=queue-rtt" -> print(IpcProbes.queueRoundTrip(decode(args[1]), decode(args[2]), payload(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args.length > 6 ? Long.parseLong(args[6]) : 0));
            case "role=queue-produce" -> IpcProbes.produce(decode(args[1]), payload(args[2]), Integer.parseInt(args[3]));
            case "role=queue-consume" -> System.out.println(String.format(Locale.ROOT, "RESULT rate=%.0f",
                    IpcProbes.consume(decode(args[1]), Integer.parseInt(args[2]))));
            case "role=queue-drain" -> {
                IpcProbes.Drained drained = IpcProbes.drain(decode(args[1]));
                System.out.println("RESULT count=" + drained.count() + " first_ns=" + drained.firstNanos()
                        + " last_ns=" + drained.lastNanos());
            }
            case "role=pipe-echo" -> IpcProbes.pipeEcho(decode(args[1]));
            case "role=pipe-rtt" -> print(IpcProbes.pipeRoundTrip(decode(args[1]), payload(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4])));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    private static Payload payload(String kind) {
        return Payload.valueOf(kind.toUpperCase(Locale.ROOT));
    }

    private static void print(Latency latency) {
        System.out.println(String.format(Locale.ROOT, "RESULT p50_us=%.3f p99_us=%.3f max_us=%.1f",
                latency.p50Micros(), latency.p99Micros(), latency.maxMicros()));
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(String base64) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return (T) in.readObject();
        }
    }
}
