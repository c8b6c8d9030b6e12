package dev.workbook.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A kernel started the way Jupyter starts it (a JVM with a connection file) and a minimal Jupyter client
 * for it: DEALER sockets for shell and control, a SUB socket for IOPub, signed messages. Tests speak the
 * real protocol to a real process.
 *
 * <p>The JVM is the one running the tests unless the system property {@code kernel.test.java} names
 * another (for example a JDK 25 {@code bin/java}).
 */
final class RunningKernel implements AutoCloseable {

    /** What one execute request produced: its reply and the IOPub messages with it as parent. */
    static final class Execution {
        final JsonObject reply;
        final List<JsonObject> outputs;

        Execution(JsonObject reply, List<JsonObject> outputs) {
            this.reply = reply;
            this.outputs = outputs;
        }

        String status() {
            return reply.get("status").getAsString();
        }

        /** All text written to a stream ("stdout" or "stderr"). */
        String stream(String name) {
            StringBuilder text = new StringBuilder();
            for (JsonObject m : outputs) {
                if (type(m).equals("stream") && content(m).get("name").getAsString().equals(name)) {
                    text.append(content(m).get("text").getAsString());
                }
            }
            return text.toString();
        }

        /** The data bundle of the execute_result, or null. */
        JsonObject result() {
            for (JsonObject m : outputs) {
                if (type(m).equals("execute_result")) {
                    return content(m).getAsJsonObject("data");
                }
            }
            return null;
        }

        /** The text/plain of the execute_result; fails naming the reply and the outputs if there is none. */
        String plainResult() {
            JsonObject data = result();
            if (data == null || !data.has("text/plain")) {
                throw new AssertionError("no text/plain execute_result; reply " + reply + ", outputs " + outputs);
            }
            return data.get("text/plain").getAsString();
        }

        /** The data bundles of display_data messages. */
        List<JsonObject> displays() {
            List<JsonObject> data = new ArrayList<>();
            for (JsonObject m : outputs) {
                if (type(m).equals("display_data")) {
                    data.add(content(m).getAsJsonObject("data"));
                }
            }
            return data;
        }

        /** The error message content, or null. */
        JsonObject error() {
            for (JsonObject m : outputs) {
                if (type(m).equals("error")) {
                    return content(m);
                }
            }
            return null;
        }

        /** The traceback of the error, joined and without ANSI colours. */
        String traceback() {
            JsonObject error = error();
            if (error == null) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            for (JsonElement line : error.getAsJsonArray("traceback")) {
                text.append(line.getAsString().replaceAll("\u001b\\[[0-9;]*m", "")).append('\n');
            }
            return text.toString();
        }
    }

    private final Process process;
    private final Path connectionFile;
    private final Path log;
    private final ZContext context = new ZContext();
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final Mac hmac;
    private final String session = UUID.randomUUID().toString();
    /** IOPub messages read while waiting for something else, kept for whoever asks next. */
    private final java.util.ArrayDeque<JsonObject> unread = new java.util.ArrayDeque<>();

    private RunningKernel(Process process, Path connectionFile, Path log, Map<String, Integer> ports, String key) throws Exception {
        this.process = process;
        this.connectionFile = connectionFile;
        this.log = log;
        this.hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        shell = connect(SocketType.DEALER, ports.get("shell_port"));
        control = connect(SocketType.DEALER, ports.get("control_port"));
        iopub = connect(SocketType.SUB, ports.get("iopub_port"));
        iopub.subscribe(new byte[0]);
    }

    private ZMQ.Socket connect(SocketType type, int port) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(0);
        socket.connect("tcp://127.0.0.1:" + port);
        return socket;
    }

    /** Starts a kernel in {@code workingDirectory} with extra environment variables and waits until it answers. */
    static RunningKernel start(Path workingDirectory, Map<String, String> environment) throws Exception {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String name : new String[]{"shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"}) {
            try (ServerSocket probe = new ServerSocket(0)) {
                ports.put(name, probe.getLocalPort());
            }
        }
        String key = UUID.randomUUID().toString();
        JsonObject connection = new JsonObject();
        ports.forEach(connection::addProperty);
        connection.addProperty("ip", "127.0.0.1");
        connection.addProperty("key", key);
        connection.addProperty("transport", "tcp");
        connection.addProperty("signature_scheme", "hmac-sha256");
        Path connectionFile = Files.createTempFile("kernel-test-", ".json");
        Files.writeString(connectionFile, connection.toString());
        Path log = Files.createTempFile("kernel-test-", ".log");

        String java = System.getProperty("kernel.test.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("kernel.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("kernel.runtime.classpath.file"))).trim();
        ProcessBuilder builder = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-cp", classpath,
                "dev.workbook.kernel.KernelMain", connectionFile.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        RunningKernel kernel = new RunningKernel(process, connectionFile, log, ports, key);
        kernel.awaitReady(Duration.ofSeconds(60));
        return kernel;
    }

    static RunningKernel start() throws Exception {
        return start(Path.of("").toAbsolutePath(), Map.of());
    }

    private void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the kernel exited: " + Files.readString(log));
            }
            String id = send(shell, "kernel_info_request", new JsonObject());
            JsonObject reply = receive(shell, id, Duration.ofSeconds(2));
            if (reply != null) {
                drainIopub();
                return;
            }
        }
        throw new IllegalStateException("the kernel did not answer kernel_info within " + timeout + ": " + Files.readString(log));
    }

    /** Sends a message on shell without waiting (comm messages have no reply); returns its id. */
    String sendShell(String type, JsonObject content) {
        return send(shell, type, content);
    }

    /** Sends a request on shell and returns the whole reply message. */
    JsonObject request(String type, JsonObject content, Duration timeout) {
        return receive(shell, send(shell, type, content), timeout);
    }

    /** Sends a request on control and returns the whole reply message. */
    JsonObject controlRequest(String type, JsonObject content, Duration timeout) {
        return receive(control, send(control, type, content), timeout);
    }

    /** Sends an execute request without waiting; returns its message id. */
    String submit(String code, boolean silent, boolean stopOnError) {
        return submit(code, silent, stopOnError, Map.of());
    }

    /** Sends an execute request with {@code user_expressions} (name to expression) without waiting. */
    String submit(String code, boolean silent, boolean stopOnError, Map<String, String> userExpressions) {
        JsonObject expressions = new JsonObject();
        userExpressions.forEach(expressions::addProperty);
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", silent);
        content.addProperty("store_history", !silent);
        content.add("user_expressions", expressions);
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", stopOnError);
        return send(shell, "execute_request", content);
    }

    Execution execute(String code) {
        return execute(code, Duration.ofSeconds(60));
    }

    Execution execute(String code, Duration timeout) {
        return await(submit(code, false, true), timeout);
    }

    /** Waits for the reply to execute request {@code id} and the IOPub messages up to its idle status. */
    Execution await(String id, Duration timeout) {
        JsonObject reply = receive(shell, id, timeout);
        if (reply == null) {
            throw new AssertionError("no reply to " + id + " within " + timeout + "; kernel log:\n" + logText());
        }
        return new Execution(content(reply), iopubUntilIdle(id, Duration.ofSeconds(10)));
    }

    /** IOPub messages with parent {@code id} until its idle status (excluded), busy and execute_input left out. */
    List<JsonObject> iopubUntilIdle(String id, Duration timeout) {
        List<JsonObject> messages = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonObject m = nextIopub(100);
            if (m == null || !id.equals(parentId(m))) {
                continue;
            }
            if (type(m).equals("status")) {
                if (content(m).get("execution_state").getAsString().equals("idle")) {
                    return messages;
                }
                continue;
            }
            if (!type(m).equals("execute_input")) {
                messages.add(m);
            }
        }
        throw new AssertionError("no idle status for " + id + "; kernel log:\n" + logText());
    }

    /** IOPub messages that arrive within {@code window}, whatever their parent. */
    List<JsonObject> iopubFor(Duration window) {
        List<JsonObject> messages = new ArrayList<>();
        Instant deadline = Instant.now().plus(window);
        while (Instant.now().isBefore(deadline)) {
            JsonObject m = nextIopub(50);
            if (m != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    /**
     * Waits until an IOPub message with parent {@code id} satisfies {@code test}; that message and every
     * one read meanwhile stay unread for later calls.
     */
    boolean awaitIopub(String id, java.util.function.Predicate<JsonObject> test, Duration timeout) {
        List<JsonObject> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (Instant.now().isBefore(deadline)) {
                JsonObject m = nextIopub(50);
                if (m == null) {
                    continue;
                }
                seen.add(m);
                if (id.equals(parentId(m)) && test.test(m)) {
                    return true;
                }
            }
            return false;
        } finally {
            for (int i = seen.size() - 1; i >= 0; i--) {
                unread.addFirst(seen.get(i));
            }
        }
    }

    private JsonObject nextIopub(int timeoutMillis) {
        JsonObject pending = unread.pollFirst();
        return pending != null ? pending : receiveAny(iopub, timeoutMillis);
    }

    void drainIopub() {
        unread.clear();
        while (receiveAny(iopub, 200) != null) {
            // discard
        }
    }

    /**
     * Runs {@code code}, interrupts it (an {@code interrupt_request} on the control channel) once it prints
     * (code prints where the part to interrupt begins), and returns the outcome.
     */
    Execution executeAndInterrupt(String code) {
        String id = submit(code, false, true);
        if (!awaitIopub(id, m -> type(m).equals("stream"), Duration.ofSeconds(60))) {
            throw new AssertionError("the cell did not start: " + code);
        }
        JsonObject reply = content(controlRequest("interrupt_request", new JsonObject(), Duration.ofSeconds(10)));
        if (!"ok".equals(reply.get("status").getAsString())) {
            throw new AssertionError("interrupt_request failed: " + reply);
        }
        return await(id, Duration.ofSeconds(30));
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the kernel process to exit by itself; true if it did within {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Asks the kernel to shut down and waits for it; kills it if it does not exit. */
    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                JsonObject content = new JsonObject();
                content.addProperty("restart", false);
                controlRequest("shutdown_request", content, Duration.ofSeconds(10));
            }
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            context.close();
            Files.deleteIfExists(connectionFile);
            Files.deleteIfExists(log);
        }
    }

    // --- wire format --------------------------------------------------------------------------

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private String send(ZMQ.Socket socket, String type, JsonObject content) {
        String id = UUID.randomUUID().toString();
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", id);
        header.addProperty("username", "test");
        header.addProperty("session", session);
        header.addProperty("date", Instant.now().toString());
        header.addProperty("msg_type", type);
        header.addProperty("version", "5.3");
        byte[][] parts = {bytes(header.toString()), bytes("{}"), bytes("{}"), bytes(content.toString())};
        socket.sendMore(DELIMITER);
        socket.sendMore(sign(parts));
        socket.sendMore(parts[0]);
        socket.sendMore(parts[1]);
        socket.sendMore(parts[2]);
        socket.send(parts[3]);
        return id;
    }

    private JsonObject receive(ZMQ.Socket socket, String parentId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonObject m = receiveAny(socket, 100);
            if (m != null && parentId.equals(parentId(m))) {
                return m;
            }
        }
        return null;
    }

    private JsonObject receiveAny(ZMQ.Socket socket, int timeoutMillis) {
        ZMQ.Poller poller = context.createPoller(1);
        try {
            poller.register(socket, ZMQ.Poller.POLLIN);
            if (poller.poll(timeoutMillis) <= 0) {
                return null;
            }
        } finally {
            poller.close();
        }
        List<byte[]> frames = new ArrayList<>();
        do {
            frames.add(socket.recv(0));
        } while (socket.hasReceiveMore());
        int delimiter = 0;
        while (delimiter < frames.size() && !java.util.Arrays.equals(frames.get(delimiter), DELIMITER)) {
            delimiter++;
        }
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        byte[][] parts = {frames.get(delimiter + 2), frames.get(delimiter + 3), frames.get(delimiter + 4), frames.get(delimiter + 5)};
        if (!signature.equals(new String(sign(parts), StandardCharsets.US_ASCII))) {
            throw new AssertionError("bad signature from the kernel");
        }
        JsonObject message = new JsonObject();
        message.add("header", JsonParser.parseString(text(parts[0])));
        message.add("parent_header", JsonParser.parseString(text(parts[1])));
        message.add("metadata", JsonParser.parseString(text(parts[2])));
        message.add("content", JsonParser.parseString(text(parts[3])));
        return message;
    }

    private synchronized byte[] sign(byte[][] parts) {
        for (byte[] part : parts) {
            hmac.update(part);
        }
        return bytes(HexFormat.of().formatHex(hmac.doFinal()));
    }

    static String type(JsonObject message) {
        return message.getAsJsonObject("header").get("msg_type").getAsString();
    }

    static JsonObject content(JsonObject message) {
        return message.getAsJsonObject("content");
    }

    static String parentId(JsonObject message) {
        JsonObject parent = message.getAsJsonObject("parent_header");
        return parent != null && parent.has("msg_id") ? parent.get("msg_id").getAsString() : null;
    }

    static List<String> strings(JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.getAsString()));
        return values;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
