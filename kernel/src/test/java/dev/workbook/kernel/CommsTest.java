package dev.workbook.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.workbook.kernel.RunningKernel.content;
import static dev.workbook.kernel.RunningKernel.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notebook code uses comms with maps and lists, without adding Gson to the notebook. */
@ExtendWith(KernelPerClass.class)
class CommsTest {

    private final RunningKernel kernel;

    CommsTest(RunningKernel kernel) {
        this.kernel = kernel;
    }

    @Test
    void aCellOpensACommWithDataAndSendsOnIt() {
        RunningKernel.Execution run = kernel.execute(
                "var comm = comms().open(\"test.target\", Map.of(\"size\", 3, \"tags\", List.of(\"a\", \"b\")));\n"
                        + "comm.send(Map.of(\"value\", 2.5, \"done\", true));\n"
                        + "comm.id()");

        assertEquals("ok", run.status(), run.traceback());
        String id = run.plainResult();
        JsonObject open = only(run.outputs, "comm_open");
        assertEquals(id, open.get("comm_id").getAsString());
        assertEquals("test.target", open.get("target_name").getAsString());
        assertEquals(JsonParser.parseString("{\"size\":3,\"tags\":[\"a\",\"b\"]}"), open.get("data"));
        JsonObject message = only(run.outputs, "comm_msg");
        assertEquals(JsonParser.parseString("{\"value\":2.5,\"done\":true}"), message.get("data"));
    }

    @Test
    void aCommTheFrontEndOpensGetsItsMessagesAsMaps() {
        assertEquals("ok", kernel.execute("comms().onOpen(\"echo\", opened -> opened.onMessage(data -> "
                + "opened.send(Map.of(\"heard\", data.get(\"text\"), \"count\", data.get(\"count\"), "
                + "\"countType\", data.get(\"count\").getClass().getSimpleName(), \"opened\", opened.openData()))));").status());

        JsonObject open = new JsonObject();
        open.addProperty("comm_id", "front-end-comm-1");
        open.addProperty("target_name", "echo");
        open.add("data", JsonParser.parseString("{\"from\":\"test\"}"));
        kernel.sendShell("comm_open", open);
        JsonObject message = new JsonObject();
        message.addProperty("comm_id", "front-end-comm-1");
        message.add("data", JsonParser.parseString("{\"text\":\"hello\",\"count\":7}"));
        String sent = kernel.sendShell("comm_msg", message);

        JsonObject[] echoed = new JsonObject[1];
        assertTrue(kernel.awaitIopub(sent, m -> type(m).equals("comm_msg") && (echoed[0] = content(m)) != null,
                Duration.ofSeconds(20)), "the kernel echoes on the comm");
        assertEquals("front-end-comm-1", echoed[0].get("comm_id").getAsString());
        assertEquals(JsonParser.parseString("{\"heard\":\"hello\",\"count\":7,\"countType\":\"Long\",\"opened\":{\"from\":\"test\"}}"),
                echoed[0].get("data"));
    }

    @Test
    void dataJsonCannotHoldIsRefusedWithItsPathBeforeAnythingIsSent() {
        RunningKernel.Execution run = kernel.execute("comms().open(\"test.target\", Map.of(\"when\", List.of(new Object())))");

        assertEquals("IllegalArgumentException", run.reply.get("ename").getAsString());
        assertTrue(run.reply.get("evalue").getAsString().contains("data.when[0] is a java.lang.Object"), run.reply.toString());
        assertTrue(run.outputs.stream().noneMatch(m -> type(m).equals("comm_open")), run.outputs.toString());
    }

    @Test
    void aMapThatContainsItselfIsRefusedInsteadOfOverflowingTheStack() {
        RunningKernel.Execution run = kernel.execute(
                "Map<String, Object> loop = new HashMap<>(); loop.put(\"self\", loop);\ncomms().open(\"test.target\", loop)");

        assertEquals("IllegalArgumentException", run.reply.get("ename").getAsString(), run.traceback());
        assertTrue(run.reply.get("evalue").getAsString().contains("nests deeper than"), run.reply.toString());
    }

    @Test
    void theBaseLibrarysGsonMethodsAreNotPartOfTheNotebookApi() {
        // JShell cannot compile a call to a method whose signature names Gson, which notebook code cannot
        // see; when comms() had such methods, a cell calling one stopped there and still replied "ok".
        RunningKernel.Execution run = kernel.execute("System.out.println(\"before\");\ncomms().messageComm(\"x\", null);\nSystem.out.println(\"after\");");

        assertEquals("CompilationException", run.reply.get("ename").getAsString(), run.reply.toString());
        assertTrue(run.traceback().contains("messageComm"), run.traceback());
    }

    private static JsonObject only(List<JsonObject> outputs, String messageType) {
        JsonObject found = null;
        for (JsonObject m : outputs) {
            if (type(m).equals(messageType)) {
                assertTrue(found == null, "one " + messageType + " only: " + outputs);
                found = content(m);
            }
        }
        assertTrue(found != null, "a " + messageType + " among " + outputs);
        return found;
    }
}
