package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets whose classes are not on {@code java.class.path}: loaded from a jar directory added at run
 * time (as a notebook's {@code %jars} does), or existing only in memory (as JShell's snippets do).
 */
@ExtendWith(NoOrphans.class)
class ForeignClassesTest {

    private static final String GREETER = """
            package extra;
            public class Greeter implements dev.workbook.process.SerializableRunnable {
                public void run() {
                    System.out.println(Helper.greeting() + " loaded by " + getClass().getClassLoader().getName());
                }
            }
            """;
    private static final String HELPER = """
            package extra;
            class Helper {
                static String greeting() { return "hello from extra.Greeter"; }
            }
            """;

    /** Compiles the two classes into {@code directory}. */
    private static void compile(Path directory) throws IOException {
        Path sources = Files.createDirectories(directory.resolve("src/extra"));
        Files.writeString(sources.resolve("Greeter.java"), GREETER);
        Files.writeString(sources.resolve("Helper.java"), HELPER);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", directory.resolve("classes").toString(),
                "-cp", System.getProperty("java.class.path"),
                sources.resolve("Greeter.java").toString(), sources.resolve("Helper.java").toString());
        assertEquals(0, status, "javac");
    }

    private static String runInChild(SerializableRunnable target) throws Exception {
        try (Capture out = Capture.stdout()) {
            ChildProcess child = new ChildProcess(target);
            child.start();
            child.join();
            assertEquals(0, child.exitCode(), out.text());
            return out.text().strip();
        }
    }

    @Test
    void classesOfAUrlClassLoaderAreOnTheChildsClassPath(@TempDir Path directory) throws Exception {
        compile(directory);
        URL classes = directory.resolve("classes").toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader("added-jars", new URL[] {classes}, getClass().getClassLoader())) {
            SerializableRunnable greeter = (SerializableRunnable) loader.loadClass("extra.Greeter").getConstructor().newInstance();
            assertEquals("hello from extra.Greeter loaded by app", runInChild(greeter),
                    "the child's application class loader found it on its class path");
            assertTrue(ChildClassPath.forLoaders(List.of(loader)).entries().contains(directory.resolve("classes").toString()));
        }
    }

    /** Defines classes from bytes held in memory and serves them as resources, as JShell's loader does. */
    static final class InMemoryLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        InMemoryLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("in-memory", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] bytes = name.endsWith(".class") ? classes.get(name.substring(0, name.length() - 6).replace('/', '.')) : null;
            return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
        }
    }

    @Test
    void classesThatExistOnlyInMemoryAreShippedWithTheClassesTheyUse(@TempDir Path directory) throws Exception {
        compile(directory);
        Map<String, byte[]> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(directory.resolve("classes"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = directory.resolve("classes").relativize(file).toString().replace(File.separatorChar, '.');
                classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
            }
        }
        InMemoryLoader loader = new InMemoryLoader(classes, getClass().getClassLoader());
        SerializableRunnable greeter = (SerializableRunnable) loader.loadClass("extra.Greeter").getConstructor().newInstance();

        Packer packer = new Packer("the greeter");
        packer.serialize(greeter);
        ClassBundle bundle = packer.bundle(ChildClassPath.forLoaders(packer.loaders()));
        assertEquals(java.util.Set.of("extra.Greeter", "extra.Helper"), bundle.classes().keySet(),
                "Helper travels because Greeter's code calls it, though no Helper object is sent");

        assertEquals("hello from extra.Greeter loaded by workbook-shipped", runInChild(greeter));
    }
}
