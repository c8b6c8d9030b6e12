package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {

    private static byte[] frames(IOAction writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writes.run(new Wire(InputStream0.EMPTY, bytes), bytes);
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface IOAction {
        void run(Wire wire, OutputStream raw) throws IOException;
    }

    private static final class InputStream0 {
        static final ByteArrayInputStream EMPTY = new ByteArrayInputStream(new byte[0]);
    }

    private static Wire reading(byte[] bytes) {
        return new Wire(new ByteArrayInputStream(bytes), OutputStream.nullOutputStream());
    }

    @Test
    void framesArriveWhole() throws IOException {
        byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        Wire wire = reading(frames((out, raw) -> {
            out.send(Wire.CALL, 1L << 40 | 7, payload);
            out.send(Wire.STOP, 0);
        }));
        Wire.Frame call = wire.receive();
        assertEquals(Wire.CALL, call.type());
        assertEquals(1L << 40 | 7, call.id());
        assertArrayEquals(payload, call.payload());
        assertEquals(Wire.STOP, wire.receive().type());
        assertNull(wire.receive(), "end of stream between frames");
    }

    @Test
    void textBetweenFramesIsHandedOnLineByLine() throws IOException {
        Wire wire = reading(frames((out, raw) -> {
            raw.write("[0.012s][info][gc] Using Serial\n".getBytes(StandardCharsets.UTF_8));
            out.send(Wire.READY, 0);
            raw.write("two\nlines\nand a partial".getBytes(StandardCharsets.UTF_8));
            out.send(Wire.DONE, 0);
            raw.write("tail".getBytes(StandardCharsets.UTF_8));
        }));
        List<String> text = new ArrayList<>();
        assertEquals(Wire.READY, wire.receive(bytes -> text.add(new String(bytes, StandardCharsets.UTF_8))).type());
        assertEquals(Wire.DONE, wire.receive(bytes -> text.add(new String(bytes, StandardCharsets.UTF_8))).type());
        assertNull(wire.receive(bytes -> text.add(new String(bytes, StandardCharsets.UTF_8))));
        assertEquals(List.of("[0.012s][info][gc] Using Serial\n", "two\n", "lines\n", "and a partial", "tail"), text);
    }

    @Test
    void withoutATextSinkStrayBytesAreAnError() throws IOException {
        Wire wire = reading("hello".getBytes(StandardCharsets.UTF_8));
        assertThrows(Wire.NotAFrameException.class, wire::receive);
    }

    @Test
    void aMalformedHeaderIsAnError() throws IOException {
        byte[] frame = frames((out, raw) -> out.send(Wire.READY, 0));
        frame[7] = 99; // type 99
        assertThrows(Wire.NotAFrameException.class, () -> reading(frame).receive());
    }

    @Test
    void aFrameCutShortIsAnEndOfFileError() throws IOException {
        byte[] frame = frames((out, raw) -> out.send(Wire.OUTPUT, 0, new byte[100]));
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 10);
        assertThrows(EOFException.class, () -> reading(cut).receive());
    }
}
