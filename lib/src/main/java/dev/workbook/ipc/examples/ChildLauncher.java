package dev.workbook.ipc.examples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Just enough of a process launcher for the examples: starts this JVM's class path again on another
 * main class, sharing the terminal, and passes serializable handles as base64 arguments. (The
 * workbook's {@code dev.workbook.process} launcher does this properly; the examples keep their own so
 * that they stand alone.)
 */
final class ChildLauncher {

    private ChildLauncher() {
    }

    /** Starts {@code main} with {@code args} in a new JVM whose output goes to this one's terminal. */
    static Process start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED"); // Agrona, under the shared-memory queue
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).inheritIO().start();
    }

    static String encode(Serializable handle) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(handle);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @SuppressWarnings("unchecked")
    static <T> T decode(String base64) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return (T) in.readObject(); // a primitive's handle attaches to the shared region here
        }
    }
}
