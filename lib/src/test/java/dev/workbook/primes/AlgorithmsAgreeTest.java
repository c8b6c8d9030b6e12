package dev.workbook.primes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The three algorithms against an independent oracle, and against each other on the hard cases. */
class AlgorithmsAgreeTest {

    private static final int LIMIT = 10_000_000;

    /** A sieve of Eratosthenes: the oracle below 10^7, sharing no code with the algorithms under test. */
    private static BitSet composite;

    @BeforeAll
    static void sieve() {
        composite = new BitSet(LIMIT);
        composite.set(0);
        composite.set(1);
        for (int p = 2; (long) p * p < LIMIT; p++) {
            if (!composite.get(p)) {
                for (int multiple = p * p; multiple < LIMIT; multiple += p) {
                    composite.set(multiple);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PrimalityTest.class)
    void everyNumberBelowTenMillionMatchesTheSieve(PrimalityTest algorithm) {
        for (int n = 0; n < LIMIT; n++) {
            boolean expected = !composite.get(n);
            if (algorithm.test(n) != expected) {
                assertEquals(expected, algorithm.test(n), algorithm + " is wrong for " + n);
            }
        }
    }

    @Test
    void theSieveFindsTheKnownCountOfPrimesBelowTenMillion() {
        // pi(10^7) = 664579: checks the oracle itself.
        assertEquals(664_579, LIMIT - composite.cardinality());
    }

    /** Carmichael numbers fool Fermat's test for every coprime base. */
    @ParameterizedTest
    @ValueSource(longs = {561, 1105, 1729, 2465, 2821, 6601, 8911, 41041, 825265, 321197185, 5394826801L,
            232250619601L, 9746347772161L})
    void carmichaelNumbersAreComposite(long n) {
        assertAllSay(false, n);
    }

    /** Strong pseudoprimes to the first k prime bases: each defeats a Miller–Rabin with too few bases. */
    @ParameterizedTest
    @ValueSource(longs = {2047L, 1373653L, 25326001L, 3215031751L, 2152302898747L, 3474749660383L,
            341550071728321L, 3825123056546413051L})
    void strongPseudoprimesToSmallBasesAreComposite(long n) {
        assertAllSay(false, n);
    }

    @Test
    void theLargestPrimeBelowTwoToThe63IsPrime() {
        // The seed's trial division needs ~3 * 10^9 divisions here (seconds, not minutes).
        assertAllSay(true, 9_223_372_036_854_775_783L);
    }

    @ParameterizedTest
    @ValueSource(longs = {9_223_372_036_854_775_643L, 9_223_372_036_854_775_549L, 9_223_372_036_854_775_507L})
    void primesNearTwoToThe63ArePrimeForMillerRabinAndTheWheel(long n) {
        assertTrue(Primality.millerRabin(n));
        assertTrue(Primality.wheel(n));
    }

    @Test
    void aProductOfTwoPrimesNearTheSquareRootOfLongMaxIsComposite() {
        // 3037000453 * 3037000493: the only divisors are at the very end of the trial range.
        assertAllSay(false, 9_223_371_873_002_223_329L);
        assertAllSay(false, 3_037_000_493L * 3_037_000_493L);
    }

    @Test
    void longMaxValueIsComposite() {
        assertAllSay(false, Long.MAX_VALUE); // 7^2 * 73 * 127 * 337 * 92737 * 649657
    }

    @Test
    void millerRabinMatchesBigIntegerOnRandomLargeNumbers() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long n = random.nextLong(1L << 40, Long.MAX_VALUE) | 1;
            // isProbablePrime(64) errs with probability below 2^-64: a sound oracle for a test.
            assertEquals(BigInteger.valueOf(n).isProbablePrime(64), Primality.millerRabin(n), "n = " + n);
        }
    }

    private static void assertAllSay(boolean prime, long n) {
        for (PrimalityTest algorithm : PrimalityTest.values()) {
            if (prime) {
                assertTrue(algorithm.test(n), algorithm + " should say " + n + " is prime");
            } else {
                assertFalse(algorithm.test(n), algorithm + " should say " + n + " is composite");
            }
        }
    }
}
