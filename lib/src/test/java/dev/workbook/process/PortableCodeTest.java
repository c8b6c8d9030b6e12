package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbook.codec.MessageCodec;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

/** What {@link PortableCode} carries to a JVM that lacks the classes: the object, its JShell classes and variables. */
public class PortableCodeTest {

    /** Where a JShell snippet leaves what it packed, for the test to take (JShell runs in this JVM). */
    public static final AtomicReference<PortableCode> PACKED = new AtomicReference<>();

    @Test
    void anObjectWhoseClassesTheReceiverHasTravelsWithoutClasses() throws Exception {
        int captured = 20;
        SerializableCallable<Integer> task = () -> captured + 1;
        PortableCode code = PortableCode.pack("a test task", task, PortableCode.class);
        PortableCode copy = (PortableCode) MessageCodec.trusting(getClass().getClassLoader())
                .deserialize(MessageCodec.trusting(getClass().getClassLoader()).serialize(code)); // it travels as an object
        ClassLoader base = getClass().getClassLoader();
        assertSame(base, copy.classLoader(base), "nothing to define: the receiver's own loader");
        assertEquals(21, ((SerializableCallable<?>) copy.unpack(base)).call());
    }

    @Test
    void somethingNotSerializableIsRefusedNamingIt() {
        Thread thread = new Thread(() -> { });
        SerializableCallable<String> task = thread::getName;
        NotSerializableTargetException refused = assertThrows(NotSerializableTargetException.class,
                () -> PortableCode.pack("a test task", task, PortableCode.class));
        assertTrue(refused.getMessage().contains("java.lang.Thread"), refused.getMessage());
    }

    @Test
    void aFailureComesBackAsItselfWithItsMessage() {
        byte[] encoded = PortableCode.encodeFailure(new IllegalArgumentException("bad input 7"));
        Throwable decoded = PortableCode.decodeFailure(encoded, getClass().getClassLoader());
        assertInstanceOf(IllegalArgumentException.class, decoded);
        assertEquals("bad input 7", decoded.getMessage());
    }

    @Test
    void codeTypedInJShellRunsInALoaderThatNeverSawJShellWithTheCellsVariable() throws Exception {
        try (JShell jshell = InCallerThread.jshell().build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                jshell.addToClasspath(entry);
            }
            eval(jshell, "import dev.workbook.process.*;");
            eval(jshell, "int offset = 100;");
            eval(jshell, "int shifted(int n) { return n + offset; }");
            eval(jshell, "PortableCodeTest.PACKED.set(PortableCode.pack(\"a cell's task\","
                    + " (SerializableCallable<Integer>) () -> shifted(5), PortableCode.class));");
        }
        PortableCode code = PACKED.get();
        // A receiver: this JVM's class path only, no JShell loader above it.
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        try (URLClassLoader receiver = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> receiversPortableCode = receiver.loadClass(PortableCode.class.getName());
            Object copy = MessageCodec.trusting(receiver).deserialize(MessageCodec.trusting(receiver).serialize(code));
            assertSame(receiversPortableCode, copy.getClass(), "the copy is the receiver's own PortableCode");
            Object task = receiversPortableCode.getMethod("unpack", ClassLoader.class).invoke(copy, receiver);
            Class<?> receiversCallable = receiver.loadClass(SerializableCallable.class.getName());
            assertTrue(receiversCallable.isInstance(task), "the task implements the receiver's own interface");
            assertEquals(105, receiversCallable.getMethod("call").invoke(task), "the cell's method and variable came along");
        }
    }

    private static void eval(JShell jshell, String snippet) {
        for (SnippetEvent event : jshell.eval(snippet)) {
            assertTrue(event.status() != Snippet.Status.REJECTED, "JShell rejected: " + snippet);
            if (event.exception() != null) {
                throw new AssertionError("JShell threw evaluating: " + snippet, event.exception());
            }
        }
    }
}
