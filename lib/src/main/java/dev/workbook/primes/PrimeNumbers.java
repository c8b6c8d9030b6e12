package dev.workbook.primes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The numbers the experiments check: the lesson's list, and generated workloads that grow with the
 * machine.
 */
public final class PrimeNumbers {

    /**
     * The thirteen numbers of the lesson, in its order: seven primes below 10^9, then five large
     * primes (112272535095293 appears twice) and one large composite, 1099726899285419 =
     * 3306091 * 332636609, which trial division only rules out after three million divisions.
     */
    public static final List<Long> SEED_DISTINCT = List.of(
            1116281L,
            1297337L,
            104395303L,
            472882027L,
            533000389L,
            817504243L,
            982451653L,
            112272535095293L,
            112582705942171L,
            112272535095293L,
            115280095190773L,
            115797848077099L,
            1099726899285419L);

    /** How many times the lesson repeats its list ({@code PRIMES = [...] * 5}). */
    public static final int SEED_REPEATS = 5;

    /** The lesson's {@code PRIMES}: {@link #SEED_DISTINCT} five times over, 65 numbers in its order. */
    public static final List<Long> PRIMES = repeat(SEED_DISTINCT, SEED_REPEATS);

    private PrimeNumbers() {
    }

    /**
     * The list repeated {@code times} times, in order, as the lesson's {@code list * times} does;
     * for scaling the lesson's workload to a bigger machine.
     *
     * @throws IllegalArgumentException if times is negative
     */
    public static List<Long> repeat(List<Long> numbers, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("repeat count must be zero or more, was " + times);
        }
        List<Long> out = new ArrayList<>(numbers.size() * times);
        for (int i = 0; i < times; i++) {
            out.addAll(numbers);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@code count} random odd numbers of exactly {@code bits} bits (the top bit set), the same for
     * the same seed on every machine and JVM. Most are composite with a small factor, so trial
     * division finds them cheap and the rare primes expensive: a workload with uneven task sizes.
     *
     * @param count how many numbers, zero or more
     * @param bits  the bit length, from 2 to 63
     * @param seed  the seed of the generator ({@link SplittableRandom}, whose sequence is specified)
     * @throws IllegalArgumentException if count is negative or bits is outside [2, 63]
     */
    public static List<Long> randomOdd(int count, int bits, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be zero or more, was " + count);
        }
        if (bits < 2 || bits > 63) {
            throw new IllegalArgumentException("bits must be from 2 to 63 (a positive long), was " + bits);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long top = 1L << (bits - 1);
        List<Long> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(top | random.nextLong(top) | 1L);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@code count} random primes of exactly {@code bits} bits: each costs trial division the full
     * sqrt(n) divisions, so every task is equally heavy. Found with {@link Primality#millerRabin}.
     *
     * @throws IllegalArgumentException if count is negative or bits is outside [3, 63]
     */
    public static List<Long> randomPrimes(int count, int bits, long seed) {
        if (bits < 3) {
            throw new IllegalArgumentException("bits must be from 3 to 63 for odd primes, was " + bits);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be zero or more, was " + count);
        }
        List<Long> out = new ArrayList<>(count);
        SplittableRandom random = new SplittableRandom(seed);
        long top = 1L << (bits - 1);
        while (out.size() < count) {
            long candidate = top | random.nextLong(top) | 1L;
            if (Primality.millerRabin(candidate)) {
                out.add(candidate);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
