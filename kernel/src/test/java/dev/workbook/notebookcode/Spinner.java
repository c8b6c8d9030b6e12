package dev.workbook.notebookcode;

/**
 * Code as a notebook would load it from a jar: outside the kernel's packages, so the cell class loader
 * defines (and instruments) it.
 */
public final class Spinner {

    private Spinner() {
    }

    /** Loops until stopped. */
    public static long spin() {
        long n = 1;
        while (n != 0) {
            n = (n * 31 + 7) % 1_000_003 + 1;
        }
        return n;
    }

    /** Exponential recursion: fib(60) takes far longer than any test. */
    public static long fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    public static long sumOfSquares(int n) {
        long sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += (long) i * i;
        }
        return sum;
    }

    public static void quit() {
        System.exit(7);
    }

    public static void halt() {
        Runtime.getRuntime().halt(8);
    }
}
