package dev.workbook.kernel.output;

import org.dflib.jjava.jupyter.messages.publish.PublishStream;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What {@code System.out} and {@code System.err} write to in the kernel: bytes become UTF-8 text for the
 * stream of whichever cell the writing thread's output goes to ({@link OutputRouter}). Writes are passed
 * on at once, so a {@code print} without a newline shows up without waiting for one.
 */
public final class CellOutputStream extends OutputStream {

    private final OutputRouter router;
    private final PublishStream.StreamType stream;
    private final Utf8Chunks chunks = new Utf8Chunks();

    public CellOutputStream(OutputRouter router, PublishStream.StreamType stream) {
        this.router = router;
        this.stream = stream;
    }

    /** A print stream over a new {@code CellOutputStream}, ready for {@code System.setOut}. */
    public static PrintStream printStream(OutputRouter router, PublishStream.StreamType stream) {
        return new PrintStream(new CellOutputStream(router, stream), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        String text = chunks.decode(bytes, offset, length);
        if (!text.isEmpty()) {
            router.write(stream, text);
        }
    }
}
