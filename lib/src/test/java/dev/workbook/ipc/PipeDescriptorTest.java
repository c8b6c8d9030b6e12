package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InvalidObjectException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipe end travels as an inert descriptor: receiving one (in a message, say) touches no file, and a
 * forged one cannot name a file outside the user's private directory.
 */
class PipeDescriptorTest extends IpcTestSupport {

    @TempDir
    Path scratch;

    @Test
    void aForgedPipeEndCannotMakeTheReceiverDeleteOrBindAPath() throws Exception {
        Path victim = Files.createDirectory(scratch.resolve("victim")); // empty: what deleteIfExists can remove
        try (Pipe pipe = Pipe.open()) {
            Connection copy = ChildJvms.decode(ChildJvms.encode(pipe.left())); // forged below, the pipe left intact
            Object connector = connectorOf(copy);
            for (Field field : connector.getClass().getDeclaredFields()) {
                if (field.getType() == String.class && !Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    field.set(connector, victim.toString()); // whatever the end names its rendezvous by
                }
            }
            String forged = ChildJvms.encode(copy);
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> ChildJvms.decode(forged));
            assertTrue(error.getCause() instanceof InvalidObjectException, String.valueOf(error.getCause()));
            assertTrue(error.getCause().getMessage().contains("not a pipe end"), error.getCause().getMessage());
            assertTrue(Files.isDirectory(victim), "the receiver deleted " + victim);
        }
    }

    @Test
    void aReceivedListeningEndBindsOnlyOnItsFirstOperation() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            String handed = ChildJvms.encode(pipe.left()); // hands it off: this process stops listening
            Path socket = socketOf(pipe.left());
            assertFalse(Files.exists(socket), "no socket once handed off");
            Connection received = ChildJvms.decode(handed);
            assertFalse(Files.exists(socket), "receiving the end bound its socket");
            CompletableFuture<Object> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return received.recv(); // the first operation: binds, and meets the right end
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            pipe.right().send("met");
            assertEquals("met", answer.get(30, TimeUnit.SECONDS));
            received.close();
        }
    }

    private static Object connectorOf(Connection end) throws ReflectiveOperationException {
        Field field = Connection.class.getDeclaredField("connector");
        field.setAccessible(true);
        return field.get(end);
    }

    private static Path socketOf(Connection end) throws ReflectiveOperationException {
        Object connector = connectorOf(end);
        Method socket = connector.getClass().getDeclaredMethod("socket");
        socket.setAccessible(true);
        return (Path) socket.invoke(connector);
    }
}
