package dev.workbook.kernel.output;

import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.protocol.InputRequests;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code System.in} reads in the kernel: when it runs dry, a thread of the running cell asks the
 * notebook for a line (an input box under the cell). Threads of other cells, and cells whose request does
 * not allow input, read end of stream.
 */
public final class NotebookInputStream extends InputStream {

    private final OutputRouter router;
    private final InputRequests input;
    private byte[] line = new byte[0];
    private int next;

    public NotebookInputStream(OutputRouter router, InputRequests input) {
        this.router = router;
        this.input = input;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[next++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, line.length - next);
        System.arraycopy(line, next, into, offset, n);
        next += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - next;
    }

    private boolean fill() throws IOException {
        if (next < line.length) {
            return true;
        }
        CellRun run = router.inputTarget(Thread.currentThread());
        if (run == null) {
            return false;
        }
        try {
            line = (input.read(run.request(), "", false) + "\n").getBytes(StandardCharsets.UTF_8);
            next = 0;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        }
    }
}
