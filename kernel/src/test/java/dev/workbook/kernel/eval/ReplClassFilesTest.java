package dev.workbook.kernel.eval;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pruning JShell's class files forgets what no later snippet can use and keeps what it can. The test JVM runs
 * with {@link ReplClassFiles#REQUIRED_FLAG} (kernel/pom.xml), as the kernel does.
 */
class ReplClassFilesTest {

    private JShell jshell;
    private ReplClassFiles classFiles;

    @BeforeEach
    void startJShell() {
        jshell = JShell.builder().executionEngine("local").build();
        classFiles = ReplClassFiles.of(jshell);
        assertTrue(classFiles.isActive(), "the test JVM must run with " + ReplClassFiles.REQUIRED_FLAG);
    }

    @AfterEach
    void closeJShell() {
        jshell.close();
    }

    @Test
    void theClassFilesOfAReplacedDeclarationArePruned() {
        Snippet first = onlyEvent("int answer() { return 1; }").snippet();
        eval("int answer() { return 2; }");
        String replaced = wrapperOf(first);
        assertTrue(classFiles.classNames().contains(replaced), classFiles.classNames().toString());

        classFiles.prune();

        assertFalse(classFiles.classNames().contains(replaced), classFiles.classNames().toString());
        assertEquals("2", onlyEvent("answer()").value());
    }

    @Test
    void liveDeclarationsAndTheirNestedClassesKeepTheirClassFiles() {
        eval("int x = 40;");
        eval("class Outer { static class Inner { int two() { return 2; } } }");
        eval("int plus(int a) { return a + x; }");
        eval("System.out.print(\"\");");

        classFiles.prune();

        assertTrue(classFiles.classNames().stream().anyMatch(name -> name.endsWith("$Outer$Inner")),
                classFiles.classNames().toString());
        // compiling against them needs their class files: a pruned live class would not compile here
        assertEquals("42", onlyEvent("plus(new Outer.Inner().two())").value());
    }

    @Test
    void theLatestTemporaryVariableStaysUsable() {
        SnippetEvent temporary = onlyEvent("20 + 22");
        assertEquals(Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND, temporary.snippet().subKind());

        classFiles.prune();

        String name = ((jdk.jshell.VarSnippet) temporary.snippet()).name();
        assertEquals("43", onlyEvent(name + " + 1").value());
    }

    @Test
    void statementsAndDroppedTemporariesLeaveNoClassFilesBehind() {
        eval("int counter = 0;");
        classFiles.prune();
        int settled = classFiles.classNames().size();

        for (int i = 0; i < 20; i++) {
            eval("if (counter >= 0) counter++;"); // a statement: JShell would make a bare counter++ a $n
            Snippet temporary = onlyEvent("counter * 2").snippet();
            jshell.drop(temporary);
            classFiles.prune();
        }

        assertEquals(settled, classFiles.classNames().size(), classFiles.classNames().toString());
        assertEquals("20", onlyEvent("counter").value());
    }

    @Test
    void pruningSwitchesItselfOffWithoutTheAddOpensAndSaysWhy() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ReplClassFilesProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not exit");

        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("active=false"), output);
        assertTrue(output.contains("jdk.jshell/jdk.jshell=ALL-UNNAMED"), "the log line names the flag: " + output);
        assertTrue(output.contains("still works=2"), output);
    }

    private void eval(String source) {
        onlyEvent(source);
    }

    private SnippetEvent onlyEvent(String source) {
        List<SnippetEvent> events = jshell.eval(source);
        SnippetEvent event = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElseThrow();
        assertTrue(event.status().isActive(), source + ": " + event.status() + " "
                + jshell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList());
        assertEquals(null, event.exception(), source);
        return event;
    }

    /** The wrapper class JShell compiled {@code snippet} into, as the pruned names spell it. */
    private String wrapperOf(Snippet snippet) {
        // JShell names a snippet's first wrapper after its id: REPL.$JShell$<id>
        return "REPL.$JShell$" + snippet.id();
    }

    /** Run in a JVM without the add-opens: prints whether pruning is active and that JShell still works. */
    public static final class ReplClassFilesProbe {
        public static void main(String[] args) {
            try (JShell jshell = JShell.builder().executionEngine("local").build()) {
                ReplClassFiles classFiles = ReplClassFiles.of(jshell);
                jshell.eval("int f() { return 1; }");
                jshell.eval("int f() { return 2; }");
                classFiles.prune();
                System.out.println("active=" + classFiles.isActive());
                System.out.println("still works=" + jshell.eval("f()").get(0).value());
            }
            System.out.flush();
            System.exit(0);
        }
    }
}
