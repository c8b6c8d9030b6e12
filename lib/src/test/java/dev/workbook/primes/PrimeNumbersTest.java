package dev.workbook.primes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimeNumbersTest {

    @Test
    void theLessonsListIsItsThirteenNumbersFiveTimesInOrder() {
        assertEquals(13, PrimeNumbers.SEED_DISTINCT.size());
        assertEquals(65, PrimeNumbers.PRIMES.size());
        for (int i = 0; i < 65; i++) {
            assertEquals(PrimeNumbers.SEED_DISTINCT.get(i % 13), PrimeNumbers.PRIMES.get(i));
        }
        assertEquals(1116281L, PrimeNumbers.PRIMES.get(0));
        assertEquals(1099726899285419L, PrimeNumbers.PRIMES.get(64));
    }

    @Test
    void theLessonsTrialDivisionGivesTheLessonsAnswers() {
        // What the lesson's is_prime prints for its numbers: all prime but the last,
        // 1099726899285419 = 3306091 * 332636609 (checked independently with CPython).
        List<Boolean> expected = List.of(true, true, true, true, true, true, true, true, true, true, true, true, false);
        List<Boolean> answers = PrimeNumbers.SEED_DISTINCT.stream().map(Primality::trialDivision).toList();
        assertEquals(expected, answers);
        assertEquals(1099726899285419L, 3306091L * 332636609L);
    }

    @Test
    void theLessonsListCannotBeModified() {
        assertThrows(UnsupportedOperationException.class, () -> PrimeNumbers.PRIMES.set(0, 4L));
    }

    @Test
    void repeatConcatenatesInOrder() {
        assertEquals(List.of(1L, 2L, 1L, 2L, 1L, 2L), PrimeNumbers.repeat(List.of(1L, 2L), 3));
        assertEquals(List.of(), PrimeNumbers.repeat(List.of(1L, 2L), 0));
        assertThrows(IllegalArgumentException.class, () -> PrimeNumbers.repeat(List.of(1L), -1));
    }

    @Test
    void randomOddNumbersHaveExactlyTheRequestedBitLength() {
        List<Long> numbers = PrimeNumbers.randomOdd(1000, 50, 1);
        assertEquals(1000, numbers.size());
        for (long n : numbers) {
            assertEquals(50, 64 - Long.numberOfLeadingZeros(n), "bit length of " + n);
            assertEquals(1, n & 1, n + " is even");
        }
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
        assertEquals(PrimeNumbers.randomOdd(100, 50, 7), PrimeNumbers.randomOdd(100, 50, 7));
        assertNotEquals(PrimeNumbers.randomOdd(100, 50, 7), PrimeNumbers.randomOdd(100, 50, 8));
    }

    @Test
    void randomPrimesArePrimeAndOfTheRequestedSize() {
        for (long p : PrimeNumbers.randomPrimes(200, 40, 3)) {
            assertTrue(BigInteger.valueOf(p).isProbablePrime(64), p + " is not prime");
            assertEquals(40, 64 - Long.numberOfLeadingZeros(p));
        }
    }

    @Test
    void badSizesAreRefusedWithTheRangeInTheMessage() {
        IllegalArgumentException bits = assertThrows(IllegalArgumentException.class,
                () -> PrimeNumbers.randomOdd(1, 64, 0));
        assertTrue(bits.getMessage().contains("from 2 to 63"), bits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrimeNumbers.randomOdd(-1, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> PrimeNumbers.randomPrimes(1, 2, 0));
    }
}
