package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClassFileReferencesTest {

    static int counter;

    /** A class whose code has the instructions the decoder must step over correctly. */
    static final class Sample {
        static String label = "x";

        int dense(int n) {
            switch (n) { // tableswitch
                case 1: return 10;
                case 2: return 20;
                case 3: return 30;
                default: return 0;
            }
        }

        int sparse(int n) {
            switch (n) { // lookupswitch
                case 1: return 1;
                case 1000: return 2;
                case 100000: return 3;
                default: return 0;
            }
        }

        int wide() {
            int a0 = 0, a1 = 1, a2 = 2, a3 = 3, a4 = 4, a5 = 5, a6 = 6, a7 = 7, a8 = 8, a9 = 9;
            long b0 = 0, b1 = 1, b2 = 2, b3 = 3, b4 = 4, b5 = 5, b6 = 6, b7 = 7, b8 = 8, b9 = 9;
            long c0 = 0, c1 = 1, c2 = 2, c3 = 3, c4 = 4, c5 = 5, c6 = 6, c7 = 7, c8 = 8, c9 = 9;
            long d0 = 0, d1 = 1, d2 = 2, d3 = 3, d4 = 4, d5 = 5, d6 = 6, d7 = 7, d8 = 8, d9 = 9;
            long e0 = 0, e1 = 1, e2 = 2, e3 = 3, e4 = 4, e5 = 5, e6 = 6, e7 = 7, e8 = 8, e9 = 9;
            long f0 = 0, f1 = 1, f2 = 2, f3 = 3, f4 = 4, f5 = 5, f6 = 6, f7 = 7, f8 = 8, f9 = 9;
            long g0 = 0, g1 = 1, g2 = 2, g3 = 3, g4 = 4, g5 = 5, g6 = 6, g7 = 7, g8 = 8, g9 = 9;
            long h0 = 0, h1 = 1, h2 = 2, h3 = 3, h4 = 4, h5 = 5, h6 = 6, h7 = 7, h8 = 8, h9 = 9;
            long i0 = 0, i1 = 1, i2 = 2, i3 = 3, i4 = 4, i5 = 5, i6 = 6, i7 = 7, i8 = 8, i9 = 9;
            long j0 = 0, j1 = 1, j2 = 2, j3 = 3, j4 = 4, j5 = 5, j6 = 6, j7 = 7, j8 = 8, j9 = 9;
            long k0 = 0, k1 = 1, k2 = 2, k3 = 3, k4 = 4, k5 = 5, k6 = 6, k7 = 7, k8 = 8, k9 = 9;
            long l0 = 0, l1 = 1, l2 = 2, l3 = 3, l4 = 4, l5 = 5, l6 = 6, l7 = 7, l8 = 8, l9 = 9;
            long m0 = 0, m1 = 1, m2 = 2, m3 = 3, m4 = 4, m5 = 5, m6 = 6, m7 = 7, m8 = 8, m9 = 9;
            int wideLocal = 300; // beyond local slot 255: wide iload/istore/iinc
            wideLocal += 1000;
            return wideLocal + a9 + (int) (b9 + c9 + d9 + e9 + f9 + g9 + h9 + i9 + j9 + k9 + l9 + m9);
        }

        Supplier<String> lambda() {
            return () -> label + counter; // getstatic inside a lambda body
        }

        void calls() {
            System.out.println(dense(1));
        }
    }

    private static ClassFileReferences parse(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName().replace('.', '$') + ".class")) {
            return ClassFileReferences.parse(in.readAllBytes());
        }
    }

    private static ClassFileReferences sample() throws IOException {
        try (InputStream in = Sample.class.getResourceAsStream("ClassFileReferencesTest$Sample.class")) {
            return ClassFileReferences.parse(in.readAllBytes());
        }
    }

    @Test
    void findsTheClassesAClassNames() throws IOException {
        ClassFileReferences references = sample();
        assertTrue(references.classNames().contains("dev/workbook/process/ClassFileReferencesTest$Sample"));
        assertTrue(references.classNames().contains("java/util/function/Supplier"), "from a method descriptor");
        assertTrue(references.classNames().contains("java/io/PrintStream"));
    }

    @Test
    void findsStaticReadsInsideALambdaBodyAndTheLambdaAsACallOfItsCreator() throws IOException {
        Map<String, ClassFileReferences.MethodReferences> methods = sample().methods();
        String lambdaCreator = "lambda()Ljava/util/function/Supplier;";
        String body = methods.get(lambdaCreator).calls().stream()
                .filter(call -> call.contains(".lambda$")).findFirst().orElseThrow();
        String bodyKey = body.substring(body.indexOf('.') + 1).replace(" ", "");
        assertTrue(methods.get(bodyKey).staticReads().contains("dev/workbook/process/ClassFileReferencesTest$Sample.label"));
        assertTrue(methods.get(bodyKey).staticReads().contains("dev/workbook/process/ClassFileReferencesTest.counter"));
    }

    @Test
    void findsCalls() throws IOException {
        Map<String, ClassFileReferences.MethodReferences> methods = sample().methods();
        assertTrue(methods.get("calls()V").calls().contains("dev/workbook/process/ClassFileReferencesTest$Sample.dense (I)I"));
        assertTrue(methods.get("calls()V").calls().contains("java/io/PrintStream.println (I)V"));
        assertTrue(methods.get("calls()V").staticReads().contains("java/lang/System.out"));
    }

    @Test
    void decodesEveryClassOfTheJdksBaseModule() throws IOException {
        // Switches, wide instructions, invokedynamic, every constant kind: the decoder must walk each
        // method to its exact end, or it throws.
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base"))) {
            List<Path> classes = files.filter(path -> path.toString().endsWith(".class")).toList();
            for (Path file : classes) {
                try {
                    ClassFileReferences.parse(Files.readAllBytes(file));
                } catch (IOException | RuntimeException e) {
                    throw new AssertionError("cannot decode " + file + ": " + e, e);
                }
            }
            assertTrue(classes.size() > 1000, "found the module's classes: " + classes.size());
        }
    }

    @Test
    void refusesSomethingThatIsNotAClassFile() {
        IOException refused = assertThrows(IOException.class, () -> ClassFileReferences.parse(new byte[] {1, 2, 3, 4, 0, 0, 0, 0}));
        assertEquals("not a class file (bad magic number)", refused.getMessage());
    }

    @Test
    void parsesThisLibrarysOwnClasses() throws IOException {
        for (Class<?> type : List.of(ChildProcess.class, ProcessPool.class, Packer.class, ChildMain.class)) {
            assertTrue(parse(type).methods().size() > 3, type.getName());
        }
    }
}
