package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A frame header is not trusted with memory: a payload costs what actually arrived. */
class WireAllocationTest {

    private static byte[] header(int type, int length) {
        return ByteBuffer.allocate(20).put(new byte[] {(byte) 0xFF, 'W', 'B', 1}).putInt(type).putLong(1).putInt(length).array();
    }

    @Test
    void aHeaderAnnouncingAGigabyteThenEndingAllocatesLittle() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Wire wire = new Wire(new ByteArrayInputStream(header(Wire.RESULT, Wire.MAX_PAYLOAD)), OutputStream.nullOutputStream());
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThrows(EOFException.class, wire::receive);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated for a frame that brought none");
    }

    @Test
    void aLongPayloadThatArrivesWholeIsReadWhole() throws Exception {
        byte[] payload = new byte[(1 << 20) + 7];
        payload[payload.length - 1] = 42;
        byte[] frame = ByteBuffer.allocate(20 + payload.length).put(header(Wire.RESULT, payload.length)).put(payload).array();
        Wire wire = new Wire(new ByteArrayInputStream(frame), OutputStream.nullOutputStream());
        assertArrayEquals(payload, wire.receive().payload());
    }
}
