package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The error a user sees for a target that cannot travel: it must say where the culprit sits. */
class SerializabilityProbeTest {

    record Wrapper(Object payload) implements Serializable {
    }

    private static NotSerializableTargetException refuse(SerializableRunnable target) {
        return assertThrows(NotSerializableTargetException.class, () -> new Packer("the target").serialize(target));
    }

    @Test
    void namesTheFieldPathThroughRecordsListsMapsAndArrays() {
        Object[] array = {"fine", new Wrapper(Map.of("key", List.of(1, new Object())))};
        Wrapper root = new Wrapper(new ArrayList<>(List.of("a", array)));
        NotSerializableTargetException refused = refuse(() -> System.out.println(root));
        assertEquals("java.lang.Object", refused.offendingClass());
        String wrapper = Wrapper.class.getName();
        assertEquals("target (lambda in SerializabilityProbeTest.namesTheFieldPathThroughRecordsListsMapsAndArrays)"
                + " → captured variable #1 (" + wrapper + ") → field 'payload' of " + wrapper + " → element #1[1]"
                + " → field 'payload' of " + wrapper + " → value for key 'key' → element #1", refused.path());
    }

    private final Object notSerializableState = new Object();

    void useState() {
        System.out.println(notSerializableState);
    }

    @Test
    void namesTheEnclosingInstanceWhenALambdaCapturesThis() {
        NotSerializableTargetException refused = refuse(() -> useState());
        assertEquals(getClass().getName(), refused.offendingClass());
        assertTrue(refused.path().endsWith("→ its enclosing instance (this) (" + getClass().getName() + ")"), refused.path());
        assertTrue(refused.getMessage().contains("is a " + getClass().getName() + ", which is not Serializable"), refused.getMessage());
    }

    @Test
    void namesTheBoundReceiverOfAMethodReference() {
        NotSerializableTargetException refused = refuse(this::useState);
        assertTrue(refused.path().contains("(method reference SerializabilityProbeTest::useState) → its bound receiver"), refused.path());
    }

    @Test
    void explainsALambdaOfANonSerializableType() {
        Runnable plain = () -> { };
        SerializabilityProbe.Finding finding = SerializabilityProbe.find(new Wrapper(plain), "target");
        assertEquals("target → field 'payload' of " + Wrapper.class.getName(), finding.path());
        assertTrue(finding.problem().contains("java.lang.Runnable, which is not Serializable"), finding.problem());
    }

    @Test
    void findsNothingInASerializableGraph() {
        assertNull(SerializabilityProbe.find(new Wrapper(List.of(1, "two", Map.of(3, new int[] {4}))), "target"));
    }

    @Test
    void theMessageSaysWhatToDo() {
        Thread thread = new Thread(() -> { });
        NotSerializableTargetException refused = refuse(() -> thread.start());
        assertTrue(refused.getMessage().startsWith("Cannot send the target to another JVM: it is not serializable."), refused.getMessage());
        assertTrue(refused.getMessage().contains("capture only serializable values"), refused.getMessage());
    }
}
