package dev.workbook.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import dev.workbook.process.NoOrphans;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoOrphans.class)
class ProcessPoolStrategyTest {

    /** Quick numbers (Miller–Rabin), the lesson's list once: what matters is that the answers are right. */
    private static final Workload<Long, Boolean> WORKLOAD =
            Workload.primality("seed, Miller-Rabin", PrimeNumbers.SEED_DISTINCT, PrimalityTest.MILLER_RABIN);

    private static List<Boolean> expected() {
        return WORKLOAD.inputs().stream().map(n -> PrimalityTest.MILLER_RABIN.test(n)).collect(Collectors.toList());
    }

    @Test
    void theWarmAndColdVariantsHaveTheirHarnessNames() {
        assertEquals("processes", ProcessPoolStrategy.warm().name());
        assertEquals("processes-cold", ProcessPoolStrategy.cold().name());
        assertTrue(ProcessPoolStrategy.warm().scalesWithWorkers());
        assertTrue(ProcessPoolStrategy.warm().unavailableReason().isEmpty());
    }

    @Test
    void warmPoolComputesTheWorkloadInInputOrder() throws Exception {
        try (Execution execution = ProcessPoolStrategy.warm().open(2)) {
            assertEquals(expected(), execution.map(WORKLOAD.task(), WORKLOAD.inputs()));
            assertEquals(expected(), execution.map(WORKLOAD.task(), WORKLOAD.inputs()), "and again, with the same workers");
        }
    }

    @Test
    void coldPoolComputesTheWorkloadInInputOrder() throws Exception {
        try (Execution execution = ProcessPoolStrategy.cold().open(2)) {
            assertEquals(expected(), execution.map(WORKLOAD.task(), WORKLOAD.inputs()));
        }
    }

    @Test
    void aFailingTaskFailsMapWithItsOwnException() throws Exception {
        Task<Long, Boolean> failing = (n, checkpoint) -> {
            if (n == 3) {
                throw new ArithmeticException("three");
            }
            return true;
        };
        try (Execution execution = ProcessPoolStrategy.warm().open(1)) {
            ArithmeticException thrown = assertThrows(ArithmeticException.class, () -> execution.map(failing, List.of(1L, 2L, 3L)));
            assertEquals("three", thrown.getMessage());
            assertInstanceOf(List.class, execution.map(failing, List.of(1L)), "still usable");
        }
    }
}
