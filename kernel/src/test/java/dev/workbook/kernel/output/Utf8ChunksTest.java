package dev.workbook.kernel.output;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Text decoded chunk by chunk never splits a character. */
class Utf8ChunksTest {

    @Test
    void aCharacterCutBetweenTwoWritesComesOutWhole() {
        byte[] bytes = "a\u4e2db".getBytes(StandardCharsets.UTF_8); // the CJK character takes three bytes
        Utf8Chunks chunks = new Utf8Chunks();

        String first = chunks.decode(bytes, 0, 2);
        String second = chunks.decode(bytes, 2, bytes.length - 2);

        assertEquals("a", first);
        assertEquals("\u4e2db", second);
    }

    @Test
    void completeTextPassesStraightThrough() {
        byte[] bytes = "\u00e9t\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);

        assertEquals("\u00e9t\u00e9 \uD83D\uDE00", new Utf8Chunks().decode(bytes, 0, bytes.length));
    }
}
