package dev.workbook.primes;

import dev.workbook.gil.Checkpoint;

/**
 * Three ways to decide whether a {@code long} is prime, from the lesson's slow reference to one that
 * is fast for every {@code long}.
 *
 * <p>All three agree on every input. Numbers below 2 (0, 1 and every negative number) are not prime
 * and every method returns {@code false} for them. The Python lesson's {@code is_prime} differs here:
 * its loop is empty for 0 and it returns {@code 0 != 1}, so it calls 0 prime, and it fails with a
 * {@code TypeError} for negative numbers (their square root is complex). We do not copy either.
 *
 * <p>The trial-division methods take a {@link Checkpoint} that they poll every
 * {@value #CHECKPOINT_STRIDE} divisors, so that a {@link dev.workbook.gil.SimulatedGil} can cut a long
 * check into slices the way CPython does; the one-argument forms use {@link Checkpoint#NONE}.
 *
 * <p>All methods are pure and thread-safe.
 */
public final class Primality {

    /** How many divisors trial division tries between two checkpoint polls. */
    public static final int CHECKPOINT_STRIDE = 1 << 12;

    private static final int STRIDE_MASK = CHECKPOINT_STRIDE - 1;

    /** The first twelve primes: as Miller–Rabin bases they are a proof of primality below 3.3 * 10^24. */
    private static final long[] MILLER_RABIN_BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

    private Primality() {
    }

    /**
     * The lesson's algorithm, kept as the reference workload: tries every divisor from 2 to
     * floor(sqrt(n)), even ones included, and stops at the first that divides n.
     *
     * <p>Deliberately naive: its cost is what the timing experiments measure, and it matches the
     * Python version divisor for divisor, so that the two runtimes can be compared. About sqrt(n)
     * divisions for a prime n: some 3 * 10^7 for the lesson's largest number.
     *
     * @return whether n is prime; {@code false} for every n below 2
     */
    public static boolean trialDivision(long n) {
        return trialDivision(n, Checkpoint.NONE);
    }

    /**
     * {@link #trialDivision(long)}, polling {@code checkpoint} every {@value #CHECKPOINT_STRIDE} divisors.
     *
     * @return whether n is prime; {@code false} for every n below 2
     */
    public static boolean trialDivision(long n, Checkpoint checkpoint) {
        if (n < 2) {
            return false;
        }
        long limit = floorSqrt(n);
        for (long divisor = 2; divisor <= limit; divisor++) {
            if (n % divisor == 0) {
                return false;
            }
            if ((divisor & STRIDE_MASK) == 0) {
                checkpoint.poll();
            }
        }
        return true;
    }

    /**
     * Trial division by 2, 3 and then only the numbers of the form 6k - 1 and 6k + 1, which are the
     * only candidates left once multiples of 2 and 3 are ruled out: a third of the lesson's divisions.
     *
     * @return whether n is prime; {@code false} for every n below 2
     */
    public static boolean wheel(long n) {
        return wheel(n, Checkpoint.NONE);
    }

    /**
     * {@link #wheel(long)}, polling {@code checkpoint} about every {@value #CHECKPOINT_STRIDE} divisors.
     *
     * @return whether n is prime; {@code false} for every n below 2
     */
    public static boolean wheel(long n, Checkpoint checkpoint) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0 || n % 3 == 0) {
            return false;
        }
        long limit = floorSqrt(n);
        int sincePoll = 0;
        for (long k = 5; k <= limit; k += 6) {
            if (n % k == 0 || n % (k + 2) == 0) {
                return false;
            }
            sincePoll += 2;
            if (sincePoll >= CHECKPOINT_STRIDE) {
                sincePoll = 0;
                checkpoint.poll();
            }
        }
        return true;
    }

    /**
     * Deterministic Miller–Rabin: exact for every {@code long}, in microseconds instead of seconds.
     *
     * <p>Writes n - 1 = d * 2^s with d odd and checks the strong-probable-prime condition for each of
     * the first twelve primes as a base; no composite below 3.3 * 10^24 passes all twelve, so there are
     * no false answers in the range of {@code long}. Modular products use Montgomery multiplication
     * on the 128-bit product, so nothing overflows even for n close to 2^63.
     *
     * @return whether n is prime; {@code false} for every n below 2
     */
    public static boolean millerRabin(long n) {
        if (n < 2) {
            return false;
        }
        for (long p : MILLER_RABIN_BASES) {
            if (n % p == 0) {
                return n == p;
            }
        }
        if (n < 41 * 41) {
            return true; // no prime factor up to 37 and below 41^2: prime
        }
        Montgomery field = new Montgomery(n);
        long d = n - 1;
        int s = Long.numberOfTrailingZeros(d);
        d >>>= s;
        long one = field.one();
        long minusOne = field.toMontgomery(n - 1);
        for (long base : MILLER_RABIN_BASES) {
            long x = field.pow(field.toMontgomery(base), d);
            if (x == one || x == minusOne) {
                continue;
            }
            boolean witnessFound = true;
            for (int r = 1; r < s; r++) {
                x = field.multiply(x, x);
                if (x == minusOne) {
                    witnessFound = false;
                    break;
                }
            }
            if (witnessFound) {
                return false;
            }
        }
        return true;
    }

    /**
     * floor(sqrt(n)) exactly, for every non-negative {@code long}. {@link Math#sqrt} alone can be off
     * by one above 2^52, where a double no longer holds every integer.
     *
     * @throws IllegalArgumentException if n is negative
     */
    public static long floorSqrt(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("square root of a negative number: " + n);
        }
        long root = (long) Math.sqrt((double) n);
        // The estimate is within one of the answer; at most 3037000499 (the root of Long.MAX_VALUE),
        // so root * root and (root + 1) * (root + 1) stay below 2^63 whenever they are computed.
        while (root > 0 && root * root > n) {
            root--;
        }
        while (root < 3_037_000_499L && (root + 1) * (root + 1) <= n) {
            root++;
        }
        return root;
    }

    /**
     * Arithmetic modulo an odd n below 2^63 in Montgomery form (x is represented as x * 2^64 mod n),
     * where a product needs two 64-bit multiplications and no division.
     */
    private static final class Montgomery {
        private final long n;
        /** -n^-1 mod 2^64. */
        private final long negInverse;
        /** 2^128 mod n, to move numbers into Montgomery form with one multiplication. */
        private final long r2;

        Montgomery(long n) {
            this.n = n;
            // Newton's iteration doubles the correct low bits each step: 3 bits from n itself (n*n = 1
            // mod 8 for odd n), then 6, 12, 24, 48, 96.
            long inverse = n;
            for (int i = 0; i < 5; i++) {
                inverse *= 2 - n * inverse;
            }
            this.negInverse = -inverse;
            long r = Long.remainderUnsigned(-n, n); // 2^64 mod n
            this.r2 = mulModSlow(r, r, n);
        }

        long one() {
            return Long.remainderUnsigned(-n, n);
        }

        long toMontgomery(long x) {
            return multiply(x % n, r2);
        }

        /** a * b * 2^-64 mod n, for a and b in [0, n). */
        long multiply(long a, long b) {
            long high = Math.multiplyHigh(a, b); // exact: a and b are below 2^63
            long low = a * b;
            long m = low * negInverse;
            // low + m*n is 0 mod 2^64 by construction; it carries into the high word unless low is 0.
            long mnHigh = Math.multiplyHigh(m, n) + ((m >> 63) & n); // unsigned high word of m*n
            long t = high + mnHigh + (low != 0 ? 1 : 0);
            // t < 2n < 2^64; one conditional subtraction brings it into [0, n).
            return Long.compareUnsigned(t, n) >= 0 ? t - n : t;
        }

        long pow(long base, long exponent) {
            long result = one();
            while (exponent > 0) {
                if ((exponent & 1) != 0) {
                    result = multiply(result, base);
                }
                base = multiply(base, base);
                exponent >>>= 1;
            }
            return result;
        }

        /** a * b mod n by shifts and additions; used once per modulus, for 2^128 mod n. */
        private static long mulModSlow(long a, long b, long n) {
            long result = 0;
            a %= n;
            while (b != 0) {
                if ((b & 1) != 0) {
                    result = addMod(result, a, n);
                }
                a = addMod(a, a, n);
                b >>>= 1;
            }
            return result;
        }

        private static long addMod(long a, long b, long n) {
            // a, b < n < 2^63, so a + b < 2^64 fits as an unsigned value.
            long sum = a + b;
            return Long.compareUnsigned(sum, n) >= 0 ? sum - n : sum;
        }
    }
}
