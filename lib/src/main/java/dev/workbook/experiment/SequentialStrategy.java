package dev.workbook.experiment;

import dev.workbook.gil.Checkpoint;
import java.util.ArrayList;
import java.util.List;

/** Every task on the calling thread, one after another: the baseline every speedup is measured against. */
final class SequentialStrategy implements Strategy {

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public String description() {
        return "one thread, one task after another";
    }

    @Override
    public boolean scalesWithWorkers() {
        return false;
    }

    @Override
    public int defaultWorkers() {
        return 1;
    }

    @Override
    public Execution open(int workers) {
        return new Execution() {
            @Override
            public <T, R> List<R> map(Task<T, R> task, List<T> inputs) throws Exception {
                List<R> results = new ArrayList<>(inputs.size());
                for (T input : inputs) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("sequential run interrupted");
                    }
                    results.add(task.apply(input, Checkpoint.NONE));
                }
                return results;
            }

            @Override
            public void close() {
            }
        };
    }
}
