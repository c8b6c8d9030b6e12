package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Code typed into a notebook runs in a child JVM. The notebook kernel evaluates cells with JShell in
 * its own JVM ("local" execution), so this test does the same: the snippet classes exist only in
 * JShell's class loader, and the launcher has to ship them.
 */
@ExtendWith(NoOrphans.class)
class JShellTargetTest {

    private static JShell jshell;
    private static final ByteArrayOutputStream JSHELL_OUTPUT = new ByteArrayOutputStream();

    @BeforeAll
    static void startJShell() {
        PrintStream out = new PrintStream(JSHELL_OUTPUT, true, StandardCharsets.UTF_8);
        jshell = InCallerThread.jshell().out(out).err(out).build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            jshell.addToClasspath(entry);
        }
        eval("import dev.workbook.process.*;");
        eval("import java.util.*;");
    }

    @AfterAll
    static void closeJShell() {
        jshell.close();
    }

    /** Evaluates a snippet as a notebook cell; returns its value, failing on any error. */
    private static String eval(String code) {
        List<SnippetEvent> events = jshell.eval(code);
        String value = null;
        for (SnippetEvent event : events) {
            if (event.status() == Snippet.Status.REJECTED) {
                fail("JShell rejected: " + code + "\n" + jshell.diagnostics(event.snippet())
                        .map(diagnostic -> diagnostic.getMessage(null)).toList());
            }
            if (event.exception() != null) {
                fail("JShell threw evaluating: " + code, event.exception());
            }
            if (event.causeSnippet() == null) {
                value = event.value();
            }
        }
        return value;
    }

    @Test
    void aTargetDefinedInJShellRunsInAChildWithItsOwnCopyOfTheCellsVariables() throws Exception {
        eval("void greet(String who) { System.out.println(\"hello \" + who + \" from \" + Processes.current().name()); }");
        eval("var nums = new ArrayList<>(List.of(20, 30, 40));");
        eval("record Box(int value) implements java.io.Serializable { }");
        eval("var box = new Box(7);");
        try (Capture out = Capture.stdout()) {
            eval("var child = new ChildProcess(() -> { greet(\"notebook\"); "
                    + "System.out.println(\"took \" + nums.remove(0) + \" box \" + box.value()); });");
            eval("child.start();");
            eval("child.join();");
            assertEquals("0", eval("child.exitCode()"), out.text() + JSHELL_OUTPUT);
            String name = eval("child.name()").replace("\"", "");
            assertTrue(out.lines().contains("hello notebook from " + name), out.text());
            assertTrue(out.lines().contains("took 20 box 7"), "the cell's variables arrive by value: " + out.text());
        }
        assertEquals("[20, 30, 40]", eval("nums"), "the child's change stays in the child");
    }

    @Test
    void anExceptionClassDefinedInJShellComesBackAsItself() throws Exception {
        eval("class Oops extends RuntimeException { Oops(String m) { super(m); } }");
        eval("void fail(String m) { throw new Oops(m); }");
        try (Capture err = Capture.stderr()) {
            eval("var failing = new ChildProcess(() -> fail(\"from a cell\"));");
            eval("failing.start();");
            eval("failing.join();");
            assertTrue(err.text().contains("Oops: from a cell"), "the child printed the stack trace: " + err.text());
        }
        assertEquals("1", eval("failing.exitCode()"));
        assertEquals("true", eval("failing.failure().orElseThrow() instanceof Oops"));
        assertEquals("\"from a cell\"", eval("failing.failure().orElseThrow().getMessage()"));
    }

    @Test
    void aPoolRunsFunctionsDefinedInJShellAndReturnsJShellTypes() throws Exception {
        eval("int square(int n) { return n * n; }");
        eval("record Pair(int n, int square) implements java.io.Serializable { }");
        eval("var pool = new ProcessPool(1);");
        try {
            assertEquals("[1, 4, 9, 16]", eval("pool.map(n -> square(n), List.of(1, 2, 3, 4))"));
            assertEquals("Pair[n=5, square=25]", eval("pool.submit(() -> new Pair(5, square(5))).get()"));
            assertEquals("[1, 4]", eval("pool.map(n -> square(n), List.of(1, 2))"), "a second call reuses the shipped classes");
        } finally {
            eval("pool.close();");
        }
    }

    @Test
    void aTaskThatCapturesNothingButReadsAJShellVariableSeesItsValueAtEachSubmit() throws Exception {
        eval("var base = 10;");
        eval("SerializableCallable<Integer> plusOne = () -> base + 1;");
        eval("var counting = new ProcessPool(1);");
        try {
            assertEquals("11", eval("counting.submit(plusOne).get()"));
            eval("base = 20;");
            assertEquals("21", eval("counting.submit(plusOne).get()"), "the variable travels with each call, not once");
        } finally {
            eval("counting.close();");
        }
    }

    @Test
    void aTargetReadingAJShellVariableThatCannotBeSerializedIsRefusedAtStartNamingTheVariable() {
        eval("var thread = new Thread(() -> { });");
        eval("var probe = new ChildProcess(() -> System.out.println(\"thread is \" + thread.getName()));");
        List<SnippetEvent> events = jshell.eval("probe.start();");
        EvalException refused = (EvalException) events.get(0).exception();
        assertEquals(NotSerializableTargetException.class.getName(), refused.getExceptionClassName());
        assertTrue(refused.getMessage().contains("it reads JShell variable 'thread'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("java.lang.Thread, which is not Serializable"), refused.getMessage());
        assertEquals("false", eval("probe.isAlive()"));
    }

    @Test
    void variablesTheTargetDoesNotReadStayBehindSilently() throws Exception {
        eval("var unrelated = new Thread(() -> { });");
        try (Capture err = Capture.stderr()) {
            // The cell's own variable (a ChildProcess) is written by the same snippet class: not read, not sent.
            eval("var quiet = new ChildProcess(() -> System.out.println(\"quiet\"));");
            eval("quiet.start();");
            eval("quiet.join();");
            assertEquals("", err.text());
        }
        assertEquals("0", eval("quiet.exitCode()"));
    }
}
