package dev.workbook.kernel.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Instrumented code stops at its next loop iteration or call once its thread is a stop target, and only then. */
class StopInstrumenterTest {

    private Class<?> spinner;

    @BeforeEach
    void loadSpinnerThroughTheCellClassLoader() throws Exception {
        CellClassLoader loader = new CellClassLoader(getClass().getClassLoader(), new StopInstrumenter());
        loader.addPath(testClasses());
        spinner = loader.loadClass("dev.workbook.notebookcode.Spinner");
        assertEquals(loader, spinner.getClassLoader(), "defined (and instrumented) by the cell loader");
    }

    @AfterEach
    void disarm() {
        StopSignal.disarm();
    }

    static Path testClasses() throws URISyntaxException {
        return Path.of(StopInstrumenterTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Starts {@code method} on a new thread; the future holds what it threw (or returned). */
    private CompletableFuture<Throwable> startOnThread(String method, Object... args) throws Exception {
        Method target = findMethod(method);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                target.invoke(null, args);
                outcome.complete(null);
            } catch (InvocationTargetException e) {
                outcome.complete(e.getCause());
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, method);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
        return outcome;
    }

    private final java.util.List<Thread> threads = new java.util.ArrayList<>();

    private Method findMethod(String name) {
        for (Method m : spinner.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no method " + name);
    }

    @Test
    void anEndlessLoopStopsWhenItsThreadIsTargeted() throws Exception {
        CompletableFuture<Throwable> outcome = startOnThread("spin");
        Thread.sleep(100);
        assertFalse(outcome.isDone(), "it spins");

        StopSignal.arm(new StopSignal.Scope(Long.MAX_VALUE, false, Set.copyOf(threads), "interrupted for the test"));

        assertInstanceOf(CellInterruptedError.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void deepRecursionWithoutLoopsStopsToo() throws Exception {
        CompletableFuture<Throwable> outcome = startOnThread("fib", 60);
        Thread.sleep(100);

        StopSignal.arm(new StopSignal.Scope(Long.MAX_VALUE, false, Set.copyOf(threads), "interrupted for the test"));

        assertInstanceOf(CellInterruptedError.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId: the kernel supports Java 17
    void threadsOutsideTheScopeKeepRunning() throws Exception {
        CompletableFuture<Throwable> spared = startOnThread("spin");
        long nextThreadId = new Thread(() -> { }).getId();
        StopSignal.arm(new StopSignal.Scope(nextThreadId, false, Set.of(), "only newer threads"));
        CompletableFuture<Throwable> stopped = startOnThread("spin");

        assertInstanceOf(CellInterruptedError.class, stopped.get(10, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertFalse(spared.isDone(), "a thread older than the scope is not touched");

        StopSignal.arm(new StopSignal.Scope(Long.MAX_VALUE, false, Set.copyOf(threads), "now this one"));
        assertInstanceOf(CellInterruptedError.class, spared.get(10, TimeUnit.SECONDS));
    }

    @Test
    void instrumentedCodeComputesWhatItDidBefore() throws Exception {
        assertEquals(338_350L, findMethod("sumOfSquares").invoke(null, 100));
        assertEquals(55L, findMethod("fib").invoke(null, 10));
    }

    @Test
    void systemExitAndRuntimeHaltEndTheCallInsteadOfTheJvm() {
        InvocationTargetException exit = assertThrows(InvocationTargetException.class, () -> findMethod("quit").invoke(null));
        InvocationTargetException halt = assertThrows(InvocationTargetException.class, () -> findMethod("halt").invoke(null));

        assertInstanceOf(SystemExitTrap.ExitRequestedError.class, exit.getCause());
        assertInstanceOf(SystemExitTrap.ExitRequestedError.class, halt.getCause());
    }

    @Test
    void aClassFileItCannotParseIsLeftAsItIs() {
        byte[] notAClass = {1, 2, 3, 4};

        assertEquals(notAClass, new StopInstrumenter().instrument(notAClass));
    }
}
