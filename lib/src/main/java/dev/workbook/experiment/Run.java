package dev.workbook.experiment;

/**
 * One timed run of a workload under a strategy.
 *
 * @param strategy  the strategy's name
 * @param workers   how many workers it had
 * @param index     1 for the first timed run of this strategy and worker count, 2 for the next...
 * @param wallNanos elapsed (wall-clock) time
 * @param cpuNanos  user + system CPU time of this JVM and its child processes during the run
 */
public record Run(String strategy, int workers, int index, long wallNanos, long cpuNanos) {

    /** Wall time in seconds. */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /** CPU time in seconds. */
    public double cpuSeconds() {
        return cpuNanos / 1e9;
    }

    /** CPU time over wall time, as {@code time} prints it: 100% is one core busy for the whole run. */
    public double cpuPercent() {
        return wallNanos == 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
    }
}
