package dev.workbook.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IJava and JJava environment variables set up the notebook before its first cell. */
class EnvironmentTest {

    @TempDir
    static Path dir;
    private static RunningKernel kernel;
    private static RunningKernel.Execution firstCell;

    @BeforeAll
    static void startKernelWithTheVariables() throws Exception {
        Path source = dir.resolve("Greeter.java");
        Files.writeString(source, "package greet; public class Greeter { public static String hello() { return \"hi from the class path\"; } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString()));
        Files.writeString(dir.resolve("init.jshell"), "String fromScript() { return \"defined by a start-up script\"; }");

        kernel = RunningKernel.start(dir, Map.of(
                "IJAVA_CLASSPATH", classes.toString(),
                "JJAVA_STARTUP_SCRIPTS_PATH", "*.jshell",
                "IJAVA_STARTUP_SCRIPT", "System.out.println(\"start-up says hello\");",
                "IJAVA_TIMEOUT", "1500"));
        firstCell = kernel.execute("1");
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    @Test
    void theClassPathVariableAddsEntries() {
        assertEquals("hi from the class path", kernel.execute("greet.Greeter.hello()").result().get("text/plain").getAsString());
    }

    @Test
    void startUpScriptsRunBeforeTheFirstCellAndTheirOutputShowsInIt() {
        assertEquals("defined by a start-up script", kernel.execute("fromScript()").result().get("text/plain").getAsString());
        assertEquals("start-up says hello\n", firstCell.stream("stdout"));
    }

    @Test
    void theTimeoutStopsAStatementThatRunsTooLong() {
        RunningKernel.Execution run = kernel.execute("while (true) { }");

        assertEquals("EvaluationTimeoutException", run.reply.get("ename").getAsString());
        assertTrue(run.reply.get("evalue").getAsString().contains("1500 milliseconds"), run.reply.toString());
    }
}
