package dev.workbook.kernel.comm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between comm data as notebook code holds it and JSON. Notebook values: {@code null},
 * {@code String}, {@code Character}, {@code Boolean}, {@code Number}, {@code Map} with string keys,
 * {@code Iterable} and arrays, nested. From JSON, objects become insertion-ordered maps, arrays lists,
 * whole numbers {@code Long} (or {@code BigDecimal} beyond it), other numbers {@code Double}; all of them
 * unmodifiable.
 *
 * <p>Nesting is limited to {@value #MAX_DEPTH} levels both ways, so that a message from a front end (or a
 * cyclic map from a notebook) cannot exhaust the stack of the thread that converts it.
 */
final class JsonValues {

    static final int MAX_DEPTH = 200;

    private JsonValues() {
    }

    /**
     * @throws IllegalArgumentException naming the path and type of a value JSON cannot hold, or the path
     *                                  where nesting goes deeper than {@value #MAX_DEPTH}
     */
    static JsonObject toJsonObject(Map<String, ?> data) {
        return data == null ? new JsonObject() : toJson(data, "data", 0).getAsJsonObject();
    }

    private static JsonElement toJson(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("comm data nests deeper than " + MAX_DEPTH + " levels at " + path + " (a map or list that contains itself?)");
        }
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof String || value instanceof Character) {
            return new JsonPrimitive(value.toString());
        }
        if (value instanceof Boolean) {
            return new JsonPrimitive((Boolean) value);
        }
        if (value instanceof Number) {
            return new JsonPrimitive((Number) value);
        }
        if (value instanceof Map) {
            JsonObject object = new JsonObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new IllegalArgumentException("comm data keys must be strings; " + path + " has the key "
                            + entry.getKey() + (entry.getKey() == null ? "" : " (" + entry.getKey().getClass().getName() + ")"));
                }
                String key = (String) entry.getKey();
                object.add(key, toJson(entry.getValue(), path + "." + key, depth + 1));
            }
            return object;
        }
        if (value instanceof Iterable || value.getClass().isArray()) {
            JsonArray array = new JsonArray();
            int i = 0;
            for (Object item : value instanceof Iterable ? (Iterable<?>) value : arrayItems(value)) {
                array.add(toJson(item, path + "[" + i++ + "]", depth + 1));
            }
            return array;
        }
        throw new IllegalArgumentException("comm data can hold maps, lists, arrays, strings, numbers, booleans and null; "
                + path + " is a " + value.getClass().getName() + " (convert it, e.g. with toString())");
    }

    private static List<Object> arrayItems(Object array) {
        int length = java.lang.reflect.Array.getLength(array);
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            items.add(java.lang.reflect.Array.get(array, i));
        }
        return items;
    }

    /**
     * @throws IllegalArgumentException where the JSON nests deeper than {@value #MAX_DEPTH} levels
     */
    static Map<String, Object> toMap(JsonObject data) {
        if (data == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) fromJson(data, "data", 0);
        return map;
    }

    private static Object fromJson(JsonElement element, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("comm message data nests deeper than " + MAX_DEPTH + " levels at " + path);
        }
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
                map.put(entry.getKey(), fromJson(entry.getValue(), path + "." + entry.getKey(), depth + 1));
            }
            return Collections.unmodifiableMap(map);
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (JsonElement item : element.getAsJsonArray()) {
                list.add(fromJson(item, path + "[" + i++ + "]", depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            BigDecimal number = primitive.getAsBigDecimal();
            if (number.stripTrailingZeros().scale() <= 0) {
                try {
                    return number.longValueExact();
                } catch (ArithmeticException beyondLong) {
                    return number;
                }
            }
            return number.doubleValue();
        }
        return primitive.getAsString();
    }
}
