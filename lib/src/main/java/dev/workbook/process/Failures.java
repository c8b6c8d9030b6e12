package dev.workbook.process;

import dev.workbook.codec.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Carries an exception from a child JVM to its parent.
 *
 * <p>The child sends the exception itself, serialized, and a {@link RemoteThrowable} copy made of
 * names, messages and stack traces only. The parent rebuilds the original when it can (its class
 * loads and it deserializes), so that code can catch it by type; otherwise it gets the copy. Either
 * way the stack trace is the child's.
 */
final class Failures {

    /** Exceptions travel between a pool and its own workers: trusted both ways. */
    private static final MessageCodec CODEC = MessageCodec.trusting(Failures.class.getClassLoader());

    private Failures() {
    }

    /** Child side. Never fails: what cannot be encoded is left out. */
    static byte[] encode(Throwable failure) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] original;
            try {
                original = CODEC.serialize(failure);
            } catch (RuntimeException e) {
                original = new byte[0];
            }
            byte[] copy;
            try {
                copy = CODEC.serialize(RemoteThrowable.mirror(failure));
            } catch (RuntimeException e) {
                copy = CODEC.serialize(new RemoteThrowable(failure.getClass().getName(), String.valueOf(failure.getMessage()), null));
            }
            out.writeInt(original.length);
            out.write(original);
            out.writeInt(copy.length);
            out.write(copy);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a byte array cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Parent side: the original exception if it can be rebuilt through {@code loader}, else its copy. */
    static Throwable decode(byte[] encoded, ClassLoader loader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte[] original = LengthPrefixed.read(in, "a failure", "the exception");
            byte[] copy = LengthPrefixed.read(in, "a failure", "its copy");
            if (original.length > 0) {
                try {
                    return throwable(MessageCodec.trusting(loader).deserialize(original));
                } catch (RuntimeException e) {
                    // fall back to the copy
                }
            }
            return throwable(CODEC.deserialize(copy));
        } catch (IOException | RuntimeException e) {
            return new RemoteThrowable("unknown", "the child's exception could not be decoded: " + e, null);
        }
    }

    /** A null in place of the exception (damaged bytes: found by fuzzing) is no exception either. */
    private static Throwable throwable(Object decoded) {
        if (decoded == null) {
            throw new IllegalStateException("the exception decoded to null");
        }
        return (Throwable) decoded;
    }
}
