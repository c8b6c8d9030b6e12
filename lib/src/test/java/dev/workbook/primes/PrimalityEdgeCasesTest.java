package dev.workbook.primes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workbook.gil.Checkpoint;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrimalityEdgeCasesTest {

    @ParameterizedTest
    @EnumSource(PrimalityTest.class)
    void zeroOneAndNegativeNumbersAreNotPrime(PrimalityTest algorithm) {
        // The lesson's is_prime(0) returns True; ours does not.
        for (long n : new long[] {0, 1, -1, -2, -3, -7, -1_000_003, Long.MIN_VALUE}) {
            assertFalse(algorithm.test(n), algorithm + " called " + n + " prime");
        }
    }

    @Test
    void floorSqrtIsExactAtPerfectSquaresAndTheirNeighbours() {
        long root = 3_037_000_499L; // floor(sqrt(Long.MAX_VALUE))
        assertEquals(root, Primality.floorSqrt(Long.MAX_VALUE));
        assertEquals(root, Primality.floorSqrt(root * root));
        assertEquals(root - 1, Primality.floorSqrt(root * root - 1));
        for (long r = 0; r < 5000; r++) {
            assertEquals(r, Primality.floorSqrt(r * r));
            assertEquals(r, Primality.floorSqrt(r * r + 2 * r)); // (r+1)^2 - 1
        }
    }

    @Test
    void floorSqrtMatchesBigIntegerOnRandomLongs() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long n = random.nextLong(Long.MAX_VALUE);
            assertEquals(BigInteger.valueOf(n).sqrt().longValueExact(), Primality.floorSqrt(n), "n = " + n);
        }
    }

    @Test
    void floorSqrtRefusesNegativeNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Primality.floorSqrt(-4));
        assertEquals("square root of a negative number: -4", e.getMessage());
    }

    @Test
    void trialDivisionPollsTheCheckpointOncePerStride() {
        AtomicInteger polls = new AtomicInteger();
        Checkpoint counting = polls::incrementAndGet;
        long prime = 1_000_000_007L; // floor(sqrt) = 31622 divisors tried
        Primality.trialDivision(prime, counting);
        assertEquals(31_622 / Primality.CHECKPOINT_STRIDE, polls.get());
    }

    @Test
    void theWheelPollsTheCheckpointDuringLongChecks() {
        AtomicInteger polls = new AtomicInteger();
        Primality.wheel(1_000_000_007L, polls::incrementAndGet);
        // About 31622 / 3 divisors tried: two polls at a stride of 4096.
        assertEquals(2, polls.get());
    }
}
