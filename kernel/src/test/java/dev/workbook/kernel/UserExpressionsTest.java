package dev.workbook.kernel;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An execute request's {@code user_expressions} are evaluated after its cell, as ipykernel does: each
 * one's rendered value, or an error for that one alone; nothing printed, nothing counted.
 */
class UserExpressionsTest {

    private static RunningKernel kernel;

    @BeforeAll
    static void startKernel() throws Exception {
        kernel = RunningKernel.start();
    }

    @AfterAll
    static void stopKernel() throws Exception {
        kernel.close();
    }

    private static RunningKernel.Execution execute(String code, Map<String, String> expressions) {
        return kernel.await(kernel.submit(code, false, true, expressions), Duration.ofSeconds(60));
    }

    private static JsonObject expression(RunningKernel.Execution run, String name) {
        return run.reply.getAsJsonObject("user_expressions").getAsJsonObject(name);
    }

    @Test
    void eachExpressionIsEvaluatedAfterTheCellAndRendered() {
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("sum", "base + 1");
        expressions.put("html", "render(\"<b>x</b>\", \"text/html\")");
        RunningKernel.Execution run = execute("int base = 41;", expressions);

        assertEquals("ok", run.status());
        JsonObject sum = expression(run, "sum");
        assertEquals("ok", sum.get("status").getAsString());
        assertEquals("42", sum.getAsJsonObject("data").get("text/plain").getAsString());
        assertTrue(sum.get("metadata").isJsonObject());
        assertEquals("<b>x</b>", expression(run, "html").getAsJsonObject("data").get("text/html").getAsString());
    }

    @Test
    void aFailingExpressionGetsItsOwnErrorAndTheOthersStillRun() {
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("bad", "1 / zero");
        expressions.put("unknown", "noSuchVariable");
        expressions.put("good", "zero + 2");
        RunningKernel.Execution run = execute("int zero = 0;", expressions);

        assertEquals("ok", run.status(), "an expression's failure is not the cell's");
        JsonObject bad = expression(run, "bad");
        assertEquals("error", bad.get("status").getAsString());
        assertEquals("ArithmeticException", bad.get("ename").getAsString());
        assertTrue(bad.get("evalue").getAsString().contains("/ by zero"), bad.toString());
        assertTrue(bad.getAsJsonArray("traceback").size() > 0);
        assertEquals("error", expression(run, "unknown").get("status").getAsString());
        assertEquals("2", expression(run, "good").getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void statementsAndDeclarationsAreRefusedAndChangeNothing() {
        Map<String, String> expressions = new LinkedHashMap<>();
        expressions.put("declaration", "int sneaky = 1");
        expressions.put("assignment", "kept = 99");
        expressions.put("magic", "%lsmagic");
        RunningKernel.Execution run = execute("int kept = 5;", expressions);

        for (String name : expressions.keySet()) {
            JsonObject result = expression(run, name);
            assertEquals("error", result.get("status").getAsString(), name + ": " + result);
            assertEquals("NotAnExpression", result.get("ename").getAsString(), name + ": " + result);
        }
        assertEquals("5", kernel.execute("kept").plainResult());
        assertEquals("error", kernel.execute("sneaky").status());
    }

    @Test
    void expressionsPrintNothingAndDoNotCount() {
        RunningKernel.Execution run = execute("System.out.println(\"cell\");",
                Map.of("noisy", "new Object() { public String toString() { System.out.println(\"from expression\"); return \"quiet\"; } }.toString()"));
        int count = run.reply.get("execution_count").getAsInt();

        assertEquals("quiet", expression(run, "noisy").getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("cell\n", run.stream("stdout"));
        assertEquals(count + 1, kernel.execute("1").reply.get("execution_count").getAsInt());
    }

    @Test
    void expressionsAreNotEvaluatedWhenTheCellFails() {
        RunningKernel.Execution run = execute("int partial = 1;\nthrow new IllegalStateException(\"cell fails\");",
                Map.of("value", "partial"));

        assertEquals("error", run.status());
        assertEquals(0, run.reply.getAsJsonObject("user_expressions").size());
    }
}
