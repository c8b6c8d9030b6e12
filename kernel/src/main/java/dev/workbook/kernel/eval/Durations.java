package dev.workbook.kernel.eval;

import java.util.Locale;

/** Durations the way IPython's {@code %time} prints them: three significant digits and a fitting unit. */
final class Durations {

    private Durations() {
    }

    static String format(long nanos) {
        if (nanos < 0) {
            return "n/a";
        }
        if (nanos >= 1_000_000_000_000L) {
            return String.format(Locale.ROOT, "%.0f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        if (nanos >= 1_000L) {
            return String.format(Locale.ROOT, "%.3g \u00b5s", nanos / 1e3);
        }
        return nanos + " ns";
    }
}
