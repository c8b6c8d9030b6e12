package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each message of the worker protocol reads back as it was written. */
class WorkerProtocolTest {

    private static final byte[] OBJECT = "serialized".getBytes(StandardCharsets.UTF_8);
    private static final ClassLoader LOADER = WorkerProtocolTest.class.getClassLoader();
    private static final ClassBundle BUNDLE = new ClassBundle("k1", Map.of("a.B", new byte[] {1, 2, 3}), List.of());

    @Test
    void ordersCarryNamesPidsBundleAndObject() throws Exception {
        byte[] payload = WorkerProtocol.writeOrders(new ProcessInfo("Process-7", 42), new ProcessInfo("MainProcess", 1), BUNDLE, OBJECT);
        WorkerProtocol.Orders orders = WorkerProtocol.readOrders(payload);
        assertEquals(new ProcessInfo("Process-7", 42), orders.self);
        assertEquals(new ProcessInfo("MainProcess", 1), orders.parent);
        assertEquals("k1", orders.bundle.key());
        assertArrayEquals(OBJECT, orders.object);
    }

    @Test
    void aCallableCallCarriesItsBundleChange() throws Exception {
        byte[] payload = WorkerProtocol.writeCallable(new WorkerProtocol.BundleChange("k1", BUNDLE, "k0"), OBJECT);
        WorkerProtocol.CallOrder order = WorkerProtocol.readCall(payload);
        assertFalse(order.isMapChunk());
        assertEquals("k1", order.bundleKey);
        assertEquals("k1", order.bundle.key());
        assertEquals("k0", order.dropBundle);
        assertArrayEquals(OBJECT, order.callable);
    }

    @Test
    void aMapChunkCarriesTheFunctionOnlyWhenTheWorkerLacksIt() throws Exception {
        byte[] items = ProcessPool.encodeScalars(List.of(1, 2));
        WorkerProtocol.CallOrder first = WorkerProtocol.readCall(
                WorkerProtocol.writeApply(new WorkerProtocol.BundleChange("", null, ""), 5, OBJECT, 3, items));
        assertTrue(first.isMapChunk());
        assertNull(first.bundle);
        assertEquals(5, first.functionId);
        assertArrayEquals(OBJECT, first.function);
        assertEquals(3, first.dropFunction);
        assertArrayEquals(items, first.items);

        WorkerProtocol.CallOrder later = WorkerProtocol.readCall(
                WorkerProtocol.writeApply(new WorkerProtocol.BundleChange("", null, ""), 5, null, 0, items));
        assertNull(later.function);
        assertEquals(0, later.dropFunction);
    }

    /** Key "" (2 bytes), no bundle (1), drop "" (2), the kind (1): the callable's length starts at 6. */
    private static byte[] callableWithLength(int length) {
        byte[] payload = WorkerProtocol.writeCallable(new WorkerProtocol.BundleChange("", null, ""), OBJECT);
        java.nio.ByteBuffer.wrap(payload).putInt(6, length);
        return payload;
    }

    @Test
    void aCallWhoseCallableHasANegativeLengthIsADamagedFrame() {
        java.io.IOException damaged = assertThrows(java.io.IOException.class, () -> WorkerProtocol.readCall(callableWithLength(-1)));
        assertEquals("a call gives its callable a length of -1: the frame is damaged", damaged.getMessage());
    }

    @Test
    void aCallWhoseCallableIsLongerThanTheFrameIsCutShort() {
        java.io.IOException cut = assertThrows(java.io.EOFException.class,
                () -> WorkerProtocol.readCall(callableWithLength(OBJECT.length + 1)));
        assertEquals("a call announces " + (OBJECT.length + 1) + " bytes for its callable but the frame ends after "
                + OBJECT.length + ": it is cut short", cut.getMessage());
    }

    @Test
    void aCallOfAnUnknownKindIsRefused() throws Exception {
        byte[] payload = WorkerProtocol.writeCallable(new WorkerProtocol.BundleChange("", null, ""), OBJECT);
        byte[] corrupt = Arrays.copyOf(payload, payload.length);
        corrupt[5] = 9; // key "" (2), no bundle (1), drop "" (2), then the kind
        assertTrue(assertThrows(java.io.IOException.class, () -> WorkerProtocol.readCall(corrupt)).getMessage().contains("unknown kind of call: 9"));
    }

    @Test
    void resultsAndFailuresReadBackAsTheyWereWritten() throws Exception {
        assertEquals(List.of(1L, "two"), WorkerProtocol.readResult(WorkerProtocol.writeResult(List.of(1L, "two"), true), LOADER));
        assertEquals(7, WorkerProtocol.readResult(WorkerProtocol.writeResult(7, false), LOADER));
        Throwable failure = WorkerProtocol.readFailure(WorkerProtocol.writeFailure(new ArithmeticException("unlucky")), LOADER);
        assertInstanceOf(ArithmeticException.class, failure);
        assertEquals("unlucky", failure.getMessage());
    }

    @Test
    void aResultThatCannotBeSerializedIsNamed() {
        NotSerializableException refused = assertThrows(NotSerializableException.class, () -> WorkerProtocol.writeResult(new Object(), false));
        assertTrue(refused.getMessage().startsWith("the result of the call, a java.lang.Object, is not serializable"), refused.getMessage());
    }
}
