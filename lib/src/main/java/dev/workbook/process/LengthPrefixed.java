package dev.workbook.process;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Byte strings written as an {@code int} length and that many bytes, read back as they arrive: a
 * damaged length costs the bytes that are really there, never an allocation of the length it
 * claims, and a length that does not fit the frame is an {@link IOException} that says so.
 * {@link DataInputStream#readNBytes(int)} alone would throw {@link IllegalArgumentException} on a
 * negative length and return a short array, silently, on one past the end.
 */
final class LengthPrefixed {

    private LengthPrefixed() {
    }

    /**
     * Reads one length-prefixed byte string.
     *
     * @param frame what is being read, for the error ("a class bundle")
     * @param part  which part of it ("class p.Sub")
     * @throws IOException if the length is negative or the bytes end before it
     */
    static byte[] read(DataInputStream in, String frame, String part) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException(frame + " gives " + part + " a length of " + length + ": the frame is damaged");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException(frame + " announces " + length + " bytes for " + part + " but the frame ends after "
                    + bytes.length + ": it is cut short");
        }
        return bytes;
    }
}
