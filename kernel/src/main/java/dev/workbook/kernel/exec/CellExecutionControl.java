package dev.workbook.kernel.exec;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;
import jdk.jshell.spi.ExecutionControl.InternalException;
import jdk.jshell.spi.ExecutionControl.RunException;
import jdk.jshell.spi.ExecutionControl.UserException;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JShell's execution engine in the kernel's own JVM. Compiled snippets are defined in a
 * {@link CellClassLoader}; each snippet runs on a new thread of its cell's thread group while JShell (on
 * the shell thread) waits, so that an interrupt can stop the snippet without touching JShell's state.
 *
 * <p>A snippet's value is kept as the object itself: JShell receives a key in place of the value's text
 * and the kernel takes the object back with {@link #takeResult} to render it (an image stays an image).
 *
 * <p>Snippets evaluated from inside a running snippet ({@code eval("...")}, {@code %load}) run directly on
 * the calling thread.
 */
public final class CellExecutionControl extends DirectExecutionControl {

    /** Marks "no object was recorded for this key". */
    public static final Object NO_RESULT = new Object();
    private static final Object NULL = new Object();
    private static final String KEY_PREFIX = "\u2063result#";

    private final CellClassLoader loader;
    private final Interrupter interrupter;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private final CpuClock clock = new CpuClock();

    private volatile CellRun run;
    private volatile long timeoutNanos;
    private volatile String timeoutText = "";
    private volatile CpuClock.Span timing;
    private volatile java.util.Set<String> compileOnly = java.util.Set.of();

    public CellExecutionControl(CellClassLoader loader, Interrupter interrupter) {
        super(new Delegate(loader));
        this.loader = loader;
        this.interrupter = interrupter;
    }

    /** The provider to hand to {@code JShell.Builder.executionEngine}: it always returns this control. */
    public ExecutionControlProvider provider() {
        CellExecutionControl control = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "workbook-cells";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        };
    }

    /** Snippets JShell evaluates from now on belong to {@code cell} (null: none). */
    public void setRun(CellRun cell) {
        this.run = cell;
    }

    /** A limit on each top-level snippet's run time; zero or less for none. */
    public void setTimeout(long nanos, String describedAs) {
        this.timeoutNanos = nanos;
        this.timeoutText = describedAs;
    }

    /**
     * Class path entries JShell compiles against but the notebook does not load from (the kernel's own
     * API, which the cell class loader already delegates to the kernel).
     */
    public void setCompileOnly(java.util.Collection<String> entries) {
        this.compileOnly = java.util.Set.copyOf(entries);
    }

    /** While non-null, the wall and CPU time of every snippet call is added to {@code span}. */
    public void setTiming(CpuClock.Span span) {
        this.timing = span;
    }

    /**
     * The object a snippet produced under {@code key} (JShell's value text for the snippet), removed from
     * the control; {@link #NO_RESULT} if the key is not one of the control's.
     */
    public Object takeResult(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX)) {
            return NO_RESULT;
        }
        Object value = results.remove(key);
        return value == null ? NO_RESULT : value == NULL ? null : value;
    }

    /** Drops results nobody took (a cell that failed half-way). */
    public void clearResults() {
        results.clear();
    }

    /**
     * Runs a snippet, as {@link DirectExecutionControl#invoke(String, String)} does, except that a snippet
     * whose class cannot be loaded or linked fails: the base class reports that as an
     * {@code InternalException}, which JShell drops without a word (the snippet stays VALID, ran nothing,
     * and the cell went on as if it had). That happens when the snippet's code needs a class that a jar
     * lacks: a lambda taking a {@code p.Sub} whose superclass is missing compiles, but its class cannot
     * link. It fails as a {@code UserException} named after the JVM's error, which reaches the cell.
     */
    @Override
    public String invoke(String className, String methodName) throws RunException, InternalException,
            EngineTerminationException {
        try {
            findClass(className).getDeclaredMethod(methodName);
        } catch (Throwable unloadable) {
            throw notRun(unloadable, "the code of this snippet could not be loaded");
        }
        return super.invoke(className, methodName);
    }

    /** A failure of the kernel's own running of a snippet (not the snippet's exception): fails the snippet too. */
    @Override
    protected String throwConvertedOtherException(Throwable failure) throws RunException {
        throw notRun(failure, "the kernel could not run this snippet");
    }

    private static UserException notRun(Throwable cause, String what) {
        String message = cause.getMessage() == null ? what : cause.getMessage() + " (" + what + ")";
        return new UserException(message, cause.getClass().getName(), cause.getStackTrace());
    }

    @Override
    protected String invoke(Method entry) throws Exception {
        CellRun cell = run;
        Object value;
        if (cell == null || CellRun.of(Thread.currentThread()) != null) {
            value = entry.invoke(null);
        } else {
            value = invokeOnCellThread(cell, entry);
        }
        String key = KEY_PREFIX + keys.incrementAndGet();
        results.put(key, value == null ? NULL : value);
        return key;
    }

    private Object invokeOnCellThread(CellRun cell, Method entry) throws Exception {
        if (cell.isInterrupted()) {
            throw new StoppedException();
        }
        CpuClock.Span span = timing;
        CpuClock.Reading start = span == null ? null : clock.read();
        Invocation invocation = new Invocation(entry, null);
        cell.setCurrent(invocation);
        invocation.start(cell, loader);
        try {
            Object value;
            try {
                value = invocation.await(timeoutNanos);
            } catch (TimeoutException e) {
                interrupter.interrupt(cell, "timed out after " + timeoutText);
                value = invocation.await(0);
            }
            if (cell.isInterrupted()) {
                throw new StoppedException();
            }
            return value;
        } catch (InvocationTargetException e) {
            if (cell.isInterrupted()) {
                throw new StoppedException();
            }
            throw e;
        } catch (Invocation.Abandoned | TimeoutException e) {
            throw new StoppedException();
        } finally {
            if (span != null) {
                span.add(start, clock.read());
            }
        }
    }

    @Override
    public void addToClasspath(String path) {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !compileOnly.contains(entry)) {
                loader.addPath(Path.of(entry));
            }
        }
    }

    /**
     * Runs {@code task} on a new thread of {@code cell}, as a snippet runs (stoppable, its output in the
     * cell), and returns its value; used for work on user objects, such as rendering a cell's result.
     *
     * @throws InvocationTargetException what the task threw
     * @throws StoppedException          the cell was interrupted meanwhile
     */
    public Object callInCell(CellRun cell, java.util.concurrent.Callable<?> task) throws Exception {
        Method call = java.util.concurrent.Callable.class.getMethod("call");
        Invocation invocation = new Invocation(call, task);
        cell.setCurrent(invocation);
        invocation.start(cell, loader);
        try {
            Object value = invocation.await(0);
            if (cell.isInterrupted()) {
                throw new StoppedException();
            }
            return value;
        } catch (Invocation.Abandoned | TimeoutException e) {
            throw new StoppedException();
        }
    }

    @Override
    public void stop() {
        interrupter.interrupt(run, "interrupted");
    }

    @Override
    public void close() {
        results.clear();
    }

    /** Defines JShell's classes in the cell class loader. */
    private static final class Delegate implements LoaderDelegate {
        private final CellClassLoader loader;
        private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

        Delegate(CellClassLoader loader) {
            this.loader = loader;
        }

        @Override
        public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
            boolean[] installed = new boolean[cbcs.length];
            try {
                for (ClassBytecodes cbc : cbcs) {
                    loader.declare(cbc.name(), cbc.bytecodes());
                }
                for (int i = 0; i < cbcs.length; i++) {
                    Class<?> type = loader.loadClass(cbcs[i].name());
                    classes.put(cbcs[i].name(), type);
                    installed[i] = true;
                    type.getDeclaredMethods(); // link now, so that a broken class fails here, not mid-cell
                }
            } catch (Throwable e) {
                throw new ClassInstallException("load: " + e, installed);
            }
        }

        @Override
        public void classesRedefined(ClassBytecodes[] cbcs) {
            // redefinition is not supported by a local engine; JShell loads replaced classes under new names
        }

        @Override
        public void addToClasspath(String path) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    loader.addPath(Path.of(entry));
                }
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> type = classes.get(name);
            return type != null ? type : loader.loadClass(name);
        }
    }
}
