package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void anExceptionComesBackAsItselfWithItsCause() {
        IllegalStateException original = new IllegalStateException("outer", new UncheckedIOException("inner", new java.io.IOException("io")));
        Throwable back = Failures.decode(Failures.encode(original), getClass().getClassLoader());
        assertInstanceOf(IllegalStateException.class, back);
        assertEquals("outer", back.getMessage());
        assertInstanceOf(UncheckedIOException.class, back.getCause());
        assertArrayEquals(original.getStackTrace(), back.getStackTrace());
    }

    /** An exception that cannot be serialized: it holds a thread. */
    static final class HoldsAThread extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Thread thread = new Thread(() -> { });

        HoldsAThread(String message) {
            super(message);
        }
    }

    @Test
    void anExceptionThatCannotTravelComesBackAsARemoteThrowableThatReadsTheSame() {
        HoldsAThread original = new HoldsAThread("cannot serialize me");
        original.addSuppressed(new ArithmeticException("suppressed"));
        Throwable back = Failures.decode(Failures.encode(original), getClass().getClassLoader());
        RemoteThrowable copy = assertInstanceOf(RemoteThrowable.class, back);
        assertEquals(HoldsAThread.class.getName(), copy.className());
        assertEquals(HoldsAThread.class.getName() + ": cannot serialize me", copy.toString());
        assertArrayEquals(original.getStackTrace(), copy.getStackTrace());
        assertEquals("java.lang.ArithmeticException: suppressed", copy.getSuppressed()[0].toString());
    }
}
