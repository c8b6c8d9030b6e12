package dev.workbook.kernel.eval;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Forgets the class files of snippets that no later snippet can use, so that a long session does not make
 * every cell compile slower.
 *
 * <p>JShell keeps every class javac has ever generated for it in an in-memory file manager, and javac lists
 * all of them each time it compiles a snippet. A redefinition gets a new wrapper class ({@code $JShell$8B},
 * {@code $JShell$8C}...), a dropped temporary keeps its class, and so does every statement, so the list
 * only grows: after a thousand cells listing it was a sixth of each cell's time. The only classes a later
 * snippet can refer to are those of the active declarations (JShell imports them into each new wrapper);
 * {@link #prune()} removes every other wrapper class and its nested classes. Classes already loaded are not
 * affected: the execution control got their bytes when they were compiled.
 *
 * <p>The file manager is internal to JShell: reaching it needs the kernel JVM to run with
 * {@value #REQUIRED_FLAG}. Without it, or if a JDK lays its internals out differently, pruning switches itself
 * off with one log line and JShell works as before, only slower in a long session.
 *
 * <p>Not thread-safe: call it on the thread that evaluates snippets, between evaluations.
 */
public final class ReplClassFiles {

    /** The JVM option that lets this class reach JShell's file manager. */
    public static final String REQUIRED_FLAG = "--add-opens=jdk.jshell/jdk.jshell=ALL-UNNAMED";

    private static final Logger LOG = LoggerFactory.getLogger(ReplClassFiles.class);
    /** JShell's wrapper classes are {@code REPL.$JShell$<key><letters>}; nested classes follow after a '$'. */
    private static final String WRAPPER_PREFIX = "REPL.$JShell$";

    private final JShell jshell;
    private final Map<String, ?> classFiles;
    private final Method classFullName;
    private boolean switchedOff;

    private ReplClassFiles(JShell jshell, Map<String, ?> classFiles, Method classFullName) {
        this.jshell = jshell;
        this.classFiles = classFiles;
        this.classFullName = classFullName;
    }

    /**
     * The pruner of {@code jshell}'s class files; one that does nothing (and says so once in the log) if
     * JShell's internals cannot be reached.
     */
    public static ReplClassFiles of(JShell jshell) {
        try {
            Field taskFactoryField = JShell.class.getDeclaredField("taskFactory");
            taskFactoryField.setAccessible(true);
            Object taskFactory = taskFactoryField.get(jshell);
            Field fileManagerField = taskFactory.getClass().getDeclaredField("fileManager");
            fileManagerField.setAccessible(true);
            Object fileManager = fileManagerField.get(taskFactory);
            Field classObjectsField = fileManager.getClass().getDeclaredField("classObjects");
            classObjectsField.setAccessible(true);
            Map<String, ?> classFiles = (Map<String, ?>) classObjectsField.get(fileManager);
            Method classFullName = Snippet.class.getDeclaredMethod("classFullName");
            classFullName.setAccessible(true);
            return new ReplClassFiles(jshell, classFiles, classFullName);
        } catch (InaccessibleObjectException e) {
            LOG.warn("Not pruning JShell's class files (a long session compiles slower): the JVM needs {}", REQUIRED_FLAG);
        } catch (ReflectiveOperationException | ClassCastException | NullPointerException e) {
            LOG.warn("Not pruning JShell's class files: this JDK's JShell is laid out differently ({})", e.toString());
        }
        return new ReplClassFiles(jshell, null, null);
    }

    /** Whether {@link #prune()} does anything (JShell's file manager could be reached). */
    public boolean isActive() {
        return classFiles != null && !switchedOff;
    }

    /** The binary names of the class files JShell's file manager holds (none if not {@link #isActive() active}). */
    Set<String> classNames() {
        return classFiles == null ? Set.of() : Set.copyOf(classFiles.keySet());
    }

    /**
     * Removes the class files of every wrapper class that is not an active declaration's: those of dropped,
     * replaced and rejected snippets, statements and expressions, and earlier compilations of declarations
     * that were recompiled. Does nothing if not {@link #isActive() active}.
     *
     * @return how many class files it removed
     */
    public int prune() {
        if (classFiles == null || switchedOff) {
            return 0;
        }
        Set<String> live = new HashSet<>();
        for (Snippet snippet : (Iterable<Snippet>) jshell.snippets()::iterator) {
            if (isDeclaration(snippet) && jshell.status(snippet).isActive()) {
                String wrapper = wrapperName(snippet);
                if (wrapper == null) {
                    return 0; // cannot tell which classes are live: keep them all
                }
                live.add(wrapper);
            }
        }
        int before = classFiles.size();
        try {
            classFiles.keySet().removeIf(name -> name.startsWith(WRAPPER_PREFIX) && !live.contains(outermost(name)));
        } catch (RuntimeException e) { // a JShell whose map cannot shrink: a cell must not fail for this
            LOG.warn("Not pruning JShell's class files any more: {}", e.toString());
            switchedOff = true;
        }
        return before - classFiles.size();
    }

    /** Declarations are what later snippets import; an import snippet has no class of its own. */
    private static boolean isDeclaration(Snippet snippet) {
        switch (snippet.kind()) {
            case TYPE_DECL:
            case METHOD:
            case VAR:
                return true;
            default:
                return false;
        }
    }

    /**
     * The snippet's wrapper class, e.g. {@code REPL.$JShell$8C}; "" if it was never wrapped (JShell throws
     * then), null if the method cannot be called at all.
     */
    private String wrapperName(Snippet snippet) {
        try {
            return (String) classFullName.invoke(snippet);
        } catch (InvocationTargetException e) {
            return "";
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** {@code REPL.$JShell$7$C$D} to {@code REPL.$JShell$7}: the wrapper class a class file belongs to. */
    static String outermost(String className) {
        int nested = className.indexOf('$', WRAPPER_PREFIX.length());
        return nested < 0 ? className : className.substring(0, nested);
    }
}
