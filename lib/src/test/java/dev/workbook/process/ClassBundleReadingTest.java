package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A class bundle damaged on its way to a worker fails with an IOException that says what is wrong. */
class ClassBundleReadingTest {

    private static DataInputStream bytes(IoWrite write) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            write.to(out);
        }
        return new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()));
    }

    @FunctionalInterface
    private interface IoWrite {
        void to(DataOutputStream out) throws IOException;
    }

    @Test
    void aBundleComesBackAsWritten() throws IOException {
        ClassBundle bundle = new ClassBundle("k", Map.of("a.B", new byte[] {1, 2}),
                List.of(new ClassBundle.StaticValue("a.B", "x", new byte[] {3})));
        ClassBundle read = ClassBundle.read(bytes(bundle::write));
        assertArrayEquals(new byte[] {3}, read.statics().get(0).value());
    }

    @Test
    void aNegativeCountIsADamagedFrame() {
        IOException damaged = assertThrows(IOException.class, () -> ClassBundle.read(bytes(out -> {
            out.writeUTF("k");
            out.writeInt(0);
            out.writeInt(-1); // variables
        })));
        assertTrue(damaged.getMessage().contains("announces -1 variables: the frame is damaged"), damaged.getMessage());
    }

    @Test
    void aNegativeLengthIsADamagedFrame() {
        IOException damaged = assertThrows(IOException.class, () -> ClassBundle.read(bytes(out -> {
            out.writeUTF("k");
            out.writeInt(1);
            out.writeUTF("a.B");
            out.writeInt(-5);
        })));
        assertTrue(damaged.getMessage().contains("gives class a.B a length of -5"), damaged.getMessage());
    }

    @Test
    void aLengthPastTheEndIsAFrameCutShort() {
        EOFException cut = assertThrows(EOFException.class, () -> ClassBundle.read(bytes(out -> {
            out.writeUTF("k");
            out.writeInt(1);
            out.writeUTF("a.B");
            out.writeInt(Integer.MAX_VALUE);
            out.write(new byte[10]);
        })));
        assertTrue(cut.getMessage().contains("ends after 10: it is cut short"), cut.getMessage());
    }
}
