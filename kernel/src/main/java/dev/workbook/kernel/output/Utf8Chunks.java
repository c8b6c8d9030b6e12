package dev.workbook.kernel.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a byte stream into text chunk by chunk without splitting a UTF-8 sequence: bytes of a character
 * cut off at the end of one chunk are kept and prefixed to the next. Not thread-safe.
 */
final class Utf8Chunks {

    private byte[] carry = new byte[0];

    /** The text of {@code bytes[0..length)} after what was carried over, minus an incomplete tail. */
    String decode(byte[] bytes, int offset, int length) {
        byte[] all;
        if (carry.length == 0) {
            all = Arrays.copyOfRange(bytes, offset, offset + length);
        } else {
            all = Arrays.copyOf(carry, carry.length + length);
            System.arraycopy(bytes, offset, all, carry.length, length);
        }
        int complete = completeLength(all);
        carry = Arrays.copyOfRange(all, complete, all.length);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whatever is still carried, decoded (malformed bytes become U+FFFD); the carry is emptied. */
    String drain() {
        String rest = new String(carry, StandardCharsets.UTF_8);
        carry = new byte[0];
        return rest;
    }

    /** The length of the longest prefix that does not end inside a multi-byte sequence. */
    static int completeLength(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= 3 && back <= n; back++) {
            int b = bytes[n - back] & 0xFF;
            if (b < 0x80) {
                return n;                  // ASCII: nothing open
            }
            if (b >= 0xC0) {               // a lead byte: how long is its sequence?
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return back < needed ? n - back : n;
            }
            // a continuation byte: keep looking for the lead byte
        }
        return n;
    }
}
