package dev.workbook.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.workbook.kernel.RunningKernel.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel speaks the Jupyter messaging protocol as the spec (5.3) asks, where the base library did not. */
@ExtendWith(KernelPerClass.class)
class KernelProtocolTest {

    private final RunningKernel kernel;

    KernelProtocolTest(RunningKernel kernel) {
        this.kernel = kernel;
    }

    @Test
    void kernelInfoReplyCarriesStatusAndJavaLanguageInfo() {
        JsonObject reply = content(kernel.request("kernel_info_request", new JsonObject(), Duration.ofSeconds(10)));

        assertEquals("ok", reply.get("status").getAsString());
        JsonObject language = reply.getAsJsonObject("language_info");
        assertEquals("Java", language.get("name").getAsString());
        assertEquals(".jshell", language.get("file_extension").getAsString());
        assertEquals("text/x-java-source", language.get("mimetype").getAsString());
        assertEquals("java", language.get("codemirror_mode").getAsString());
        String kernelJdk = kernel.execute("Runtime.version().toString()").result().get("text/plain").getAsString();
        assertEquals(kernelJdk, language.get("version").getAsString(), "the version of the JDK the kernel runs on");
    }

    @Test
    void printingShowsOnStdout() {
        RunningKernel.Execution run = kernel.execute("System.out.println(\"hello, world\");");

        assertEquals("ok", run.status());
        assertEquals("hello, world\n", run.stream("stdout"));
    }

    @Test
    void anExpressionEndingACellIsItsResult() {
        RunningKernel.Execution run = kernel.execute("int answer = 6;\nanswer * 7");

        assertEquals("42", run.result().get("text/plain").getAsString());
    }

    @Test
    void displayShowsDataAndTheCellDoesNotRepeatTheDisplayId() {
        RunningKernel.Execution run = kernel.execute("display(\"<b>bold</b>\", \"text/html\")");

        assertEquals("<b>bold</b>", run.displays().get(0).get("text/html").getAsString());
        assertNull(run.result(), "the id display() returns is not shown as the cell's result");
    }

    @Test
    void aCompileErrorPointsAtTheLineAndColumnOfTheCell() {
        RunningKernel.Execution run = kernel.execute("int ok = 1;\nint wrong = \"text\";");

        assertEquals("error", run.status());
        assertEquals("CompilationException", run.reply.get("ename").getAsString());
        assertTrue(run.traceback().contains("line 2, column 13"), run.traceback());
        assertTrue(run.traceback().contains("int wrong = \"text\";"), run.traceback());
    }

    @Test
    void aRuntimeErrorShowsTheCellLinesBeforeAnyLibraryFrame() {
        kernel.execute("int parse(String s) {\n  return Integer.parseInt(s);\n}");
        RunningKernel.Execution run = kernel.execute("int a = 1;\nparse(\"x\")");

        assertEquals("NumberFormatException", run.reply.get("ename").getAsString());
        String trace = run.traceback();
        int cellFrame = trace.indexOf("line 2, in parse");
        int callerFrame = trace.indexOf("line 2\n");
        int libraryFrames = trace.indexOf("thrown inside:");
        assertTrue(cellFrame > 0 && callerFrame > cellFrame && libraryFrames > callerFrame, trace);
        assertTrue(trace.contains("return Integer.parseInt(s);"), "the failing line's text is shown: " + trace);
        assertFalse(trace.contains("dev.workbook.kernel"), "no kernel frames: " + trace);
    }

    @Test
    void historyRequestsAreAnsweredWithStatusAndTheInputs() {
        kernel.execute("\"history marker\"");
        JsonObject request = new JsonObject();
        request.addProperty("output", false);
        request.addProperty("raw", true);
        request.addProperty("hist_access_type", "tail");
        request.addProperty("n", 1);

        JsonObject reply = content(kernel.request("history_request", request, Duration.ofSeconds(10)));

        assertEquals("ok", reply.get("status").getAsString());
        assertEquals("\"history marker\"", reply.getAsJsonArray("history").get(0).getAsJsonArray().get(2).getAsString());
    }

    @Test
    void isCompleteTellsCompleteIncompleteAndInvalidApart() {
        assertEquals("complete", isComplete("int x = 1;"));
        assertEquals("incomplete", isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", isComplete("int x = ;"));
    }

    private String isComplete(String code) {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        return content(kernel.request("is_complete_request", request, Duration.ofSeconds(10))).get("status").getAsString();
    }

    @Test
    void aSilentExecutionPublishesNothingAndLeavesTheCountAlone() {
        int before = kernel.execute("1").reply.get("execution_count").getAsInt();
        String id = kernel.submit("System.out.println(\"quiet\"); 2", true, true);
        RunningKernel.Execution silent = kernel.await(id, Duration.ofSeconds(30));
        int after = kernel.execute("3").reply.get("execution_count").getAsInt();

        assertEquals("ok", silent.status());
        assertTrue(silent.outputs.isEmpty(), "no output for a silent execution: " + silent.outputs);
        assertEquals(before + 1, after);
    }

    @Test
    void aFailedCellAbortsTheExecutionsQueuedBehindIt() {
        String failing = kernel.submit("Thread.sleep(300); throw new RuntimeException(\"stop here\");", false, true);
        String queued = kernel.submit("System.out.println(\"must not run\");", false, true);

        RunningKernel.Execution first = kernel.await(failing, Duration.ofSeconds(30));
        RunningKernel.Execution second = kernel.await(queued, Duration.ofSeconds(30));

        assertEquals("error", first.status());
        assertEquals("aborted", second.status());
        assertEquals("", second.stream("stdout"));
    }

    @Test
    void aCellSentAfterAFailedCellsReplyRuns() {
        // A client that sends its next cell as soon as it sees the error (as an interrupted notebook
        // does) must not find it aborted as if it had been queued behind the failed cell. Busy cores
        // (threads left spinning by an earlier cell) make the kernel slow to get past the reply.
        kernel.execute("var spin = new java.util.concurrent.atomic.AtomicBoolean(true);\n"
                + "for (int t = 0; t < 2; t++) { Thread s = new Thread(() -> { while (spin.get()) { } }); s.setDaemon(true); s.start(); }");
        for (int i = 0; i < 30; i++) {
            assertEquals("error", kernel.execute("throw new IllegalStateException(\"failure " + i + "\");").status());
            RunningKernel.Execution next = kernel.execute("\"after " + i + "\"");
            assertEquals("ok", next.status(), "round " + i + ": " + next.reply);
            assertEquals("after " + i, next.plainResult());
        }
        kernel.execute("spin.set(false);");
    }

    @Test
    void completionOffersMembersAndMagics() {
        assertEquals(List.of("println("), complete("System.out.printl"));
        assertTrue(complete("%mav").contains("%maven"), complete("%mav").toString());
    }

    private List<String> complete(String code) {
        JsonObject request = new JsonObject();
        request.addProperty("code", code);
        request.addProperty("cursor_pos", code.length());
        JsonObject reply = content(kernel.request("complete_request", request, Duration.ofSeconds(20)));
        assertEquals("ok", reply.get("status").getAsString());
        return RunningKernel.strings(reply.getAsJsonArray("matches"));
    }

    @Test
    void inspectionShowsSignatures() {
        JsonObject request = new JsonObject();
        request.addProperty("code", "Math.max");
        request.addProperty("cursor_pos", 8);
        request.addProperty("detail_level", 0);

        JsonObject reply = content(kernel.request("inspect_request", request, Duration.ofSeconds(20)));

        assertTrue(reply.get("found").getAsBoolean());
        assertTrue(reply.getAsJsonObject("data").get("text/plain").getAsString().contains("int Math.max(int a, int b)"));
    }

    @Test
    void systemExitEndsTheCellButNotTheKernel() {
        RunningKernel.Execution run = kernel.execute("System.exit(3);");

        assertEquals("error", run.status());
        assertTrue(run.reply.get("evalue").getAsString().contains("System.exit(3)"));
        assertTrue(kernel.isAlive());
        assertEquals("ok", kernel.execute("1 + 1").status());
    }

    @Test
    void notebookCodeCannotSeeTheKernelsOwnLibraries() {
        RunningKernel.Execution run = kernel.execute("Class.forName(\"com.google.gson.Gson\")");

        assertEquals("ClassNotFoundException", run.reply.get("ename").getAsString());
    }

    @Test
    void expressionCellsLeaveNoTemporaryVariablesBehind() {
        String count = "getKernelInstance().getJShell().variables().count()";
        long before = Long.parseLong(kernel.execute(count).result().get("text/plain").getAsString());
        for (int i = 0; i < 5; i++) {
            kernel.execute(i + " * 2");
        }
        long after = Long.parseLong(kernel.execute(count).result().get("text/plain").getAsString());

        assertEquals(before, after, "each later snippet would be compiled against every one left");
    }

    @Test
    void theKernelIsReachableUnderIJavaAndJJavaNames() {
        RunningKernel.Execution run = kernel.execute("getKernelInstance() == kernel()");

        assertEquals("true", run.result().get("text/plain").getAsString());
        assertNotNull(kernel.execute("eval(\"6 * 7\")").result());
        assertEquals("42", kernel.execute("eval(\"6 * 7\")").result().get("text/plain").getAsString());
    }
}
