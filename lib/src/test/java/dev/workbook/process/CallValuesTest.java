package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallValuesTest {

    private static final ClassLoader LOADER = CallValuesTest.class.getClassLoader();

    private static Object roundTrip(Object value) throws IOException {
        return CallValues.decode(CallValues.encode(value), LOADER);
    }

    @Test
    void scalarsComeBackEqualAndOfTheSameClass() throws IOException {
        List<Object> scalars = Arrays.asList(null, true, false, 0, -7, Integer.MIN_VALUE, 0L, Long.MAX_VALUE, Long.MIN_VALUE,
                0.0, -0.0, Double.NaN, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, "", "prime", "π ≈ 3.14159 🎲");
        for (Object scalar : scalars) {
            Object back = roundTrip(scalar);
            assertEquals(scalar, back, "value " + scalar);
            if (scalar != null) {
                assertSame(scalar.getClass(), back.getClass(), "class of " + scalar);
            }
        }
    }

    @Test
    void aScalarTakesAFewBytesNotASerializationStream() throws IOException {
        assertEquals(9, CallValues.encode(112272535095293L).length);
        assertEquals(1, CallValues.encode(Boolean.TRUE).length);
        assertTrue(CallValues.encode(List.of(1L)).length > 40, "a list is serialized: it is not a scalar");
    }

    @Test
    void aStringWithALoneSurrogateComesBackUnchanged() throws IOException {
        String broken = "a\uD800b";
        assertEquals(broken, roundTrip(broken));
    }

    @Test
    void aStringTooLongForTheScalarEncodingIsSerializedInstead() throws IOException {
        String big = "\u20ac".repeat(30_000); // 90,000 bytes of UTF-8: past writeUTF's limit
        assertFalse(CallValues.isScalar(big));
        assertEquals(big, roundTrip(big));
    }

    record Point(int x, int y) implements Serializable {
    }

    @Test
    void otherValuesTravelBySerialization() throws IOException {
        assertEquals(new Point(1, 2), roundTrip(new Point(1, 2)));
        assertEquals(List.of(1, 2, 3), roundTrip(List.of(1, 2, 3)));
        assertInstanceOf(List.of(1).getClass(), roundTrip(List.of(1)), "a list keeps its own class");
    }

    @Test
    void aListOfScalarsComesBackAsAnArrayListOfEqualValues() throws IOException {
        List<Object> values = Arrays.asList(1L, null, "two", 3.0, true, 4);
        Object back = CallValues.decode(CallValues.encodeList(values), LOADER);
        assertInstanceOf(ArrayList.class, back);
        assertEquals(values, back);
    }

    @Test
    void aListWithOtherValuesIsSerializedWholeSoSharedObjectsStayShared() throws IOException {
        Point shared = new Point(5, 5);
        List<?> back = (List<?>) CallValues.decode(CallValues.encodeList(Arrays.asList(shared, 7L, shared)), LOADER);
        assertEquals(List.of(shared, 7L, shared), back);
        assertSame(back.get(0), back.get(2));
    }

    @Test
    void aValueThatCannotBeSerializedIsAnError() {
        assertThrows(NotSerializableException.class, () -> CallValues.encode(new Object()));
    }

    @Test
    void corruptBytesAreAnErrorNotAWrongValue() {
        assertThrows(IOException.class, () -> CallValues.decode(new byte[0], LOADER));
        assertThrows(IOException.class, () -> CallValues.decode(new byte[] {42}, LOADER));
        assertThrows(IOException.class, () -> CallValues.decode(new byte[] {4, 0, 0}, LOADER), "a long cut short");
    }
}
