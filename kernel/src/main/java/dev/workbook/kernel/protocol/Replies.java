package dev.workbook.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.Header;

import java.util.List;
import java.util.Map;

/**
 * Reply contents with every field the Jupyter messaging spec (5.3) requires, {@code status} included.
 */
public final class Replies {

    private static final Gson GSON = new Gson();

    private Replies() {
    }

    public static JsonObject ok() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        return content;
    }

    public static JsonObject kernelInfo(String implementation, String implementationVersion, String languageVersion,
                                        String banner, List<HelpLink> helpLinks) {
        JsonObject language = new JsonObject();
        language.addProperty("name", "Java");
        language.addProperty("version", languageVersion);
        language.addProperty("mimetype", "text/x-java-source");
        language.addProperty("file_extension", ".jshell");
        language.addProperty("pygments_lexer", "java");
        language.addProperty("codemirror_mode", "java");
        JsonArray links = new JsonArray();
        for (HelpLink link : helpLinks) {
            JsonObject entry = new JsonObject();
            entry.addProperty("text", link.getText());
            entry.addProperty("url", link.getUrl());
            links.add(entry);
        }
        JsonObject content = ok();
        content.addProperty("protocol_version", Header.PROTOCOL_VERISON);
        content.addProperty("implementation", implementation);
        content.addProperty("implementation_version", implementationVersion);
        content.add("language_info", language);
        content.addProperty("banner", banner);
        content.add("help_links", links);
        content.addProperty("debugger", false);
        return content;
    }

    /** @param userExpressions each expression's {@link #expressionValue} or {@link #error}, by name */
    public static JsonObject executeOk(int executionCount, JsonObject userExpressions) {
        JsonObject content = ok();
        content.addProperty("execution_count", executionCount);
        content.add("user_expressions", userExpressions);
        content.add("payload", new JsonArray());
        return content;
    }

    public static JsonObject executeError(int executionCount, String name, String value, List<String> traceback) {
        JsonObject content = error(name, value, traceback);
        content.addProperty("execution_count", executionCount);
        content.add("user_expressions", new JsonObject());
        content.add("payload", new JsonArray());
        return content;
    }

    /** A user expression's value as the spec shows it: {@code status} ok and the rendered mime bundle. */
    public static JsonObject expressionValue(DisplayData rendered) {
        JsonObject bundle = GSON.toJsonTree(rendered).getAsJsonObject();
        JsonObject content = ok();
        content.add("data", bundle.has("data") ? bundle.get("data") : new JsonObject());
        content.add("metadata", bundle.has("metadata") && bundle.get("metadata").isJsonObject()
                ? bundle.get("metadata") : new JsonObject());
        return content;
    }

    /** The reply to a request that was not run because an earlier cell failed ({@code stop_on_error}). */
    public static JsonObject aborted() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "aborted");
        return content;
    }

    public static JsonObject error(String name, String value, List<String> traceback) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "error");
        content.addProperty("ename", name);
        content.addProperty("evalue", value);
        JsonArray lines = new JsonArray();
        traceback.forEach(lines::add);
        content.add("traceback", lines);
        return content;
    }

    public static JsonObject complete(List<String> matches, int start, int end) {
        JsonObject content = ok();
        JsonArray array = new JsonArray();
        matches.forEach(array::add);
        content.add("matches", array);
        content.addProperty("cursor_start", start);
        content.addProperty("cursor_end", end);
        content.add("metadata", new JsonObject());
        return content;
    }

    public static JsonObject inspect(Map<String, String> data) {
        JsonObject content = ok();
        content.addProperty("found", !data.isEmpty());
        JsonObject bundle = new JsonObject();
        data.forEach(bundle::addProperty);
        content.add("data", bundle);
        content.add("metadata", new JsonObject());
        return content;
    }

    /** {@code status} is one of complete, incomplete, invalid, unknown; indent only matters for incomplete. */
    public static JsonObject isComplete(String status, String indent) {
        JsonObject content = new JsonObject();
        content.addProperty("status", status);
        if ("incomplete".equals(status)) {
            content.addProperty("indent", indent);
        }
        return content;
    }

    public static JsonObject history(List<HistoryEntry> entries) {
        JsonArray history = new JsonArray();
        for (HistoryEntry entry : entries) {
            JsonArray tuple = new JsonArray();
            tuple.add(entry.getSession());
            tuple.add(entry.getCellNumber());
            if (entry.hasOutput()) {
                JsonArray inOut = new JsonArray();
                inOut.add(entry.getInput());
                inOut.add(entry.getOutput());
                tuple.add(inOut);
            } else {
                tuple.add(entry.getInput());
            }
            history.add(tuple);
        }
        JsonObject content = ok();
        content.add("history", history);
        return content;
    }

    public static JsonObject shutdown(boolean restart) {
        JsonObject content = ok();
        content.addProperty("restart", restart);
        return content;
    }

    public static JsonObject commInfo(Map<String, String> targetsById) {
        JsonObject comms = new JsonObject();
        targetsById.forEach((id, target) -> {
            JsonObject info = new JsonObject();
            info.addProperty("target_name", target);
            comms.add(id, info);
        });
        JsonObject content = ok();
        content.add("comms", comms);
        return content;
    }
}
