package dev.workbook.experiment;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One virtual thread per task (Java 21 and later). The library is built for Java 17, so the executor
 * is looked up at run time; on an older JVM the strategy reports itself unavailable.
 *
 * <p>Virtual threads run on a carrier pool whose size is fixed when the JVM starts
 * ({@code jdk.virtualThreadScheduler.parallelism}, by default the number of cores), so the worker
 * count is not a setting here.
 */
final class VirtualThreadStrategy implements Strategy {

    private static final MethodHandle NEW_EXECUTOR = lookUpExecutorFactory();

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    public String description() {
        return "one virtual thread per task (Java 21+), on the JVM's carrier threads";
    }

    @Override
    public boolean scalesWithWorkers() {
        return false;
    }

    @Override
    public int defaultWorkers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
    }

    @Override
    public Optional<String> unavailableReason() {
        return NEW_EXECUTOR != null ? Optional.empty()
                : Optional.of("virtual threads need Java 21 or newer; this JVM is " + Runtime.version());
    }

    @Override
    public Execution open(int workers) throws Exception {
        if (NEW_EXECUTOR == null) {
            throw new UnsupportedOperationException(unavailableReason().orElseThrow());
        }
        ExecutorService executor;
        try {
            executor = (ExecutorService) NEW_EXECUTOR.invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("could not create a virtual-thread executor", t);
        }
        return new ExecutorExecution(executor, ExecutorExecution.PLAIN);
    }

    private static MethodHandle lookUpExecutorFactory() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
