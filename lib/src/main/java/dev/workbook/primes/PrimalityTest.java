package dev.workbook.primes;

import dev.workbook.gil.Checkpoint;

/** The primality algorithms of {@link Primality}, as values an experiment can sweep over. */
public enum PrimalityTest {

    /** The lesson's trial division by every number up to sqrt(n): the reference workload. */
    TRIAL_DIVISION("trial division (lesson)") {
        @Override
        public boolean test(long n, Checkpoint checkpoint) {
            return Primality.trialDivision(n, checkpoint);
        }
    },

    /** Trial division by 2, 3 and 6k +/- 1 only: a third of the divisions. */
    WHEEL("6k±1 trial division") {
        @Override
        public boolean test(long n, Checkpoint checkpoint) {
            return Primality.wheel(n, checkpoint);
        }
    },

    /** Deterministic Miller–Rabin with twelve bases: a few hundred multiplications. */
    MILLER_RABIN("Miller–Rabin") {
        @Override
        public boolean test(long n, Checkpoint checkpoint) {
            // Microseconds per number: there is no long loop to cut into slices.
            return Primality.millerRabin(n);
        }
    };

    private final String label;

    PrimalityTest(String label) {
        this.label = label;
    }

    /** Whether n is prime, polling the checkpoint during long loops; {@code false} below 2. */
    public abstract boolean test(long n, Checkpoint checkpoint);

    /** Whether n is prime; {@code false} below 2. */
    public boolean test(long n) {
        return test(n, Checkpoint.NONE);
    }

    /** A short human-readable name for tables and charts. */
    public String label() {
        return label;
    }
}
