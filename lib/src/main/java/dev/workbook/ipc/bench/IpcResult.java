package dev.workbook.ipc.bench;

import dev.workbook.ipc.bench.IpcProbes.Latency;
import java.util.Map;

/**
 * One figure of an IPC measurement, a row of {@link IpcBench#table}: from the Java probes, or read
 * from a line {@code ipc_bench.py} prints (one JSON object, keyed as the table's columns:
 * {@code {"transport": "python Queue", "shape": "round trip", "payload": "long", "p50_us": 80.1,
 * "p99_us": 190.3, "count": 5000, "unit": "round trips"}}). The one record of both IPC benchmarks.
 *
 * @param transport         what carried the messages: {@code java SharedQueue}, {@code python Queue}, ...
 * @param shape             {@code round trip}, {@code one-way}, {@code 2 producers x 2 consumers}, ...
 * @param payload           {@code long} or {@code object}
 * @param waiting           how a receiver waits ({@code spin}, {@code backoff}, {@code blocking read}), with
 *                          {@code , pinned} when the processes were pinned to a core each; or empty
 * @param p50Micros         median round trip, {@code NaN} where it does not apply
 * @param p99Micros         99th percentile round trip, {@code NaN} where it does not apply
 * @param messagesPerSecond rate, {@code NaN} where it does not apply
 * @param sample            how many round trips or messages the figure comes from
 * @param note              why a row has no figures ({@code skipped: ...}), or empty
 */
public record IpcResult(String transport, String shape, String payload, String waiting, double p50Micros,
                        double p99Micros, double messagesPerSecond, String sample, String note) {

    /** A round-trip figure. */
    public static IpcResult latency(String transport, String shape, String payload, String waiting, Latency latency) {
        return new IpcResult(transport, shape, payload, waiting, latency.p50Micros(), latency.p99Micros(), Double.NaN,
                latency.count() + " round trips", "");
    }

    /** A rate figure. */
    public static IpcResult rate(String transport, String shape, String payload, String waiting, double rate, long count) {
        return new IpcResult(transport, shape, payload, waiting, Double.NaN, Double.NaN, rate, count + " messages", "");
    }

    /** A row that says why there are no figures. */
    public static IpcResult skipped(String transport, String reason) {
        return new IpcResult(transport, "", "", "", Double.NaN, Double.NaN, Double.NaN, "", "skipped: " + reason);
    }

    /**
     * A result read from one of {@code ipc_bench.py}'s lines (as {@code JsonLines.read} returns it).
     *
     * @throws IllegalArgumentException naming the key that is missing or of the wrong kind
     */
    public static IpcResult fromJson(Map<String, Object> line) {
        return new IpcResult(text(line, "transport"), text(line, "shape"), text(line, "payload"),
                line.containsKey("waiting") ? text(line, "waiting") : "", number(line, "p50_us"), number(line, "p99_us"),
                number(line, "msgs_per_sec"), Math.round(required(line, "count", Double.class)) + " " + text(line, "unit"), "");
    }

    /** Whether the row has figures (it was not skipped). */
    public boolean measured() {
        return note.isEmpty();
    }

    private static String text(Map<String, Object> line, String key) {
        return required(line, key, String.class);
    }

    private static double number(Map<String, Object> line, String key) {
        return line.containsKey(key) ? required(line, key, Double.class) : Double.NaN;
    }

    private static <T> T required(Map<String, Object> line, String key, Class<T> kind) {
        Object value = line.get(key);
        if (!kind.isInstance(value)) {
            throw new IllegalArgumentException("an IPC result line needs '" + key + "' as a "
                    + (kind == String.class ? "string" : "number") + "; it has " + (value == null ? "none" : value)
                    + " in " + line);
        }
        return kind.cast(value);
    }
}
