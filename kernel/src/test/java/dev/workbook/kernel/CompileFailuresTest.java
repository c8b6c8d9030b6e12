package dev.workbook.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever keeps a cell from compiling reaches the cell as an error, whichever state JShell leaves the
 * snippet in; what JShell can fix later (a forward reference) is a note, not an error. And the default
 * imports are IJava's and JJava's.
 */
class CompileFailuresTest {

    @TempDir
    static Path workingDirectory;
    private static RunningKernel kernel;
    /** A jar holding {@code p.Sub} but not its superclass {@code p.Base}. */
    private static Path subWithoutBase;

    @BeforeAll
    static void startKernel() throws Exception {
        subWithoutBase = jarWithoutSuperclass(workingDirectory);
        kernel = RunningKernel.start(workingDirectory, Map.of());
        RunningKernel.Execution added = kernel.execute("%jars " + subWithoutBase);
        assertEquals("ok", added.status(), added.traceback());
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    private static Path jarWithoutSuperclass(Path directory) throws IOException {
        Path sources = Files.createDirectories(directory.resolve("src/p"));
        Files.writeString(sources.resolve("Base.java"), "package p; public class Base { public boolean ok() { return true; } }");
        Files.writeString(sources.resolve("Sub.java"), "package p; public class Sub extends Base { public static Sub make() { return new Sub(); } }");
        Path classes = Files.createDirectories(directory.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(),
                sources.resolve("Base.java").toString(), sources.resolve("Sub.java").toString());
        assertEquals(0, status, "javac compiles the test library");
        Path jar = directory.resolve("sub-without-base.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("p/Sub.class"));
            out.write(Files.readAllBytes(classes.resolve("p/Sub.class")));
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void aDeclarationWhoseTypeLacksItsSuperclassFailsNamingTheMissingClass() {
        RunningKernel.Execution run = kernel.execute("p.Sub s = p.Sub.make();");

        assertEquals("error", run.status(), run.outputs.toString());
        assertTrue(run.traceback().contains("cannot access p.Base"), run.traceback());
        assertTrue(run.traceback().contains("line 1, column"), "points at the cell: " + run.traceback());
    }

    @Test
    void aMethodDeclarationThatCannotCompileAgainstTheJarFails() {
        RunningKernel.Execution run = kernel.execute("p.Sub twice() {\n  p.Sub s = p.Sub.make();\n  return s;\n}");

        assertEquals("error", run.status(), run.outputs.toString());
        assertTrue(run.traceback().contains("cannot access p.Base"), run.traceback());
    }

    @Test
    void aSnippetThatCompilesButWhoseCodeCannotLinkFailsTheCellInsteadOfRunningNothing() {
        // javac needs nothing of p.Base here, but the lambda's method takes a p.Sub, so the snippet's class
        // cannot link; JShell itself drops that failure, and the variable would silently stay null.
        RunningKernel.Execution run = kernel.execute(
                "java.util.function.Consumer<p.Sub> sink = s -> System.out.println(\"sunk\");\nSystem.out.println(\"after\");");

        assertEquals("error", run.status(), run.outputs.toString());
        assertTrue(run.traceback().contains("NoClassDefFoundError") && run.traceback().contains("p/Base"), run.traceback());
        assertFalse(run.outputs.toString().contains("after"), "the cell stops at the failing snippet: " + run.outputs);
    }

    @Test
    void callingAMethodInheritedFromTheMissingSuperclassFails() {
        RunningKernel.Execution run = kernel.execute("p.Sub.make().ok()");

        assertEquals("error", run.status(), run.outputs.toString());
        assertTrue(run.traceback().contains("ok()"), run.traceback());
    }

    @Test
    void aForwardReferenceIsANoteAndTheDeclarationWorksOnceItsDependencyExists() {
        RunningKernel.Execution declared = kernel.execute("int later() { return notYetDeclared() + 1; }");
        assertEquals("ok", declared.status(), declared.traceback());
        assertTrue(declared.stream("stderr").contains("notYetDeclared"), declared.stream("stderr"));

        kernel.execute("int notYetDeclared() { return 41; }");

        assertEquals("42", kernel.execute("later()").plainResult());
    }

    @Test
    void redefiningSomethingADeclarationNeedsSaysThatDeclarationNoLongerCompiles() {
        kernel.execute("int base() { return 1; }\nint user() { return base(); }");

        RunningKernel.Execution redefined = kernel.execute("String base() { return \"one\"; }");

        assertEquals("ok", redefined.status(), redefined.traceback());
        assertTrue(redefined.stream("stderr").contains("user"), "names the broken method: " + redefined.stream("stderr"));
        assertTrue(redefined.stream("stderr").contains("incompatible types"), redefined.stream("stderr"));
    }

    @Test
    void usingADeclarationThatARedefinitionBrokeFailsSayingWhy() {
        kernel.execute("int origin() { return 1; }\nint caller() { return origin(); }");
        kernel.execute("String origin() { return \"one\"; }");

        RunningKernel.Execution run = kernel.execute("caller()");

        assertEquals("error", run.status(), run.outputs.toString());
        assertTrue(run.traceback().contains("caller cannot be used") && run.traceback().contains("incompatible types"),
                run.traceback());
    }

    @Test
    void theDefaultImportsAreThoseOfIJavaAndJJava() {
        // One class of each package IJava and JJava import; java.time.* is JJava's addition.
        RunningKernel.Execution run = kernel.execute("List.of(new File(\"x\").getName(), BigInteger.ONE, URI.create(\"a:b\"),"
                + " new ConcurrentHashMap<String, String>(), Preferences.class.getSimpleName(), Pattern.compile(\"x\"),"
                + " LocalDate.of(2026, 12, 1)).size()");

        assertEquals("ok", run.status(), run.traceback());
        assertEquals("7", run.plainResult());
    }
}
