package dev.workbook.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.experiment.Execution;
import dev.workbook.experiment.Experiment;
import dev.workbook.experiment.ExperimentResult;
import dev.workbook.experiment.Strategies;
import dev.workbook.experiment.Strategy;
import dev.workbook.experiment.Workload;
import dev.workbook.primes.PrimalityTest;
import dev.workbook.primes.PrimeNumbers;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

class LiveProgressTest {

    private static final Workload<Long, Boolean> SMALL =
            Workload.primality("small", PrimeNumbers.SEED_DISTINCT.subList(0, 5), PrimalityTest.TRIAL_DIVISION);

    /** What a notebook would have received: the first output, then each update of it. */
    private static final class Recording implements LiveProgress.Surface {
        final List<DisplayData> shown = new ArrayList<>();
        final List<DisplayData> updates = new ArrayList<>();

        @Override
        public void show(DisplayData data) {
            shown.add(new DisplayData(data));
        }

        @Override
        public void update(String displayId, DisplayData data) {
            assertEquals(shown.get(0).getDisplayId(), displayId, "an update of another output");
            updates.add(new DisplayData(data));
        }

        DisplayData last() {
            return updates.get(updates.size() - 1);
        }
    }

    private static Recording sweep(Strategy... strategies) throws Exception {
        Recording surface = new Recording();
        Experiment.of(SMALL).strategies(strategies).workers(1, 2).warmups(1).repeats(2)
                .progress(new LiveProgress(surface, ExperimentResult::speedupChart, "test-display")).run();
        return surface;
    }

    @Test
    void oneOutputIsShownAndEveryLaterStateReplacesIt() throws Exception {
        Recording surface = sweep(Strategies.threads());
        assertEquals(1, surface.shown.size());
        assertEquals("test-display", surface.shown.get(0).getDisplayId());
        // sequential (1 warm-up + 2 runs) and threads x1, x2 (3 each): a step each, and more for the chart
        assertTrue(surface.updates.size() >= 9, surface.updates.size() + " updates");
    }

    @Test
    void whileRunningItShowsABarAndTheChartSoFar() throws Exception {
        Recording surface = sweep(Strategies.threads());
        List<DisplayData> running = surface.updates.subList(0, surface.updates.size() - 1);
        assertTrue(running.stream().allMatch(d -> String.valueOf(d.getData(MIMEType.TEXT_HTML)).contains("<progress")));
        assertTrue(running.stream().anyMatch(d -> String.valueOf(d.getData(MIMEType.TEXT_HTML)).contains(
                "data:image/png;base64,")), "the chart never appeared while running");
    }

    @Test
    void theFinalStateIsTheFinishedChartOnly() throws Exception {
        Recording surface = sweep(Strategies.threads());
        DisplayData last = surface.last();
        assertTrue(last.hasDataForType(MIMEType.IMAGE_PNG));
        assertNull(last.getData(MIMEType.TEXT_HTML), "the progress bar is gone");
        String description = String.valueOf(last.getData(MIMEType.TEXT_PLAIN));
        assertTrue(description.contains("Speedup"), description);
        assertFalse(description.contains("so far"), description);
    }

    @Test
    void aFailedExperimentLeavesOneLineSayingWhereItStopped() {
        Strategy broken = new Strategy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String description() {
                return "cannot start its workers";
            }

            @Override
            public boolean scalesWithWorkers() {
                return false;
            }

            @Override
            public Execution open(int workers) {
                throw new IllegalStateException("no workers today");
            }
        };
        Recording surface = new Recording();
        assertThrows(IllegalStateException.class, () -> Experiment.of(SMALL).strategies(broken).warmups(0).repeats(1)
                .progress(new LiveProgress(surface, ExperimentResult::speedupChart, "test-display")).run());
        DisplayData last = surface.last();
        assertFalse(last.hasDataForType(MIMEType.IMAGE_PNG), "no half-drawn chart");
        assertNull(last.getData(MIMEType.TEXT_HTML));
        assertTrue(String.valueOf(last.getData(MIMEType.TEXT_PLAIN)).contains("stopped after 1 of 2 steps"),
                String.valueOf(last.getData(MIMEType.TEXT_PLAIN)));
    }

    @Test
    void outsideANotebookItSaysWhatToUseInstead() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LiveProgress.inNotebook(ExperimentResult::speedupChart));
        assertTrue(e.getMessage().contains("Progress.lines()"), e.getMessage());
    }
}
