package dev.workbook.kernel.output;

import dev.workbook.kernel.exec.CellRun;
import dev.workbook.kernel.protocol.IopubPublisher;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;

/**
 * Decides which cell shows output (stream text, displays) that a thread produces, and hands it to the
 * publisher with that cell's request as the parent.
 *
 * <p>The rule, so that nothing a notebook prints is lost to the kernel's terminal:
 * <ol>
 *   <li>the threads of the running cell (its own and those it started) write to it;</li>
 *   <li>any other thread writes to the running cell, if one runs (front ends show output for a cell that
 *       runs, not reliably for one that has finished);</li>
 *   <li>with no cell running, a thread writes to the cell that started it if that is the latest cell,
 *       else to the latest cell (the classic Notebook keeps listening to its last request);</li>
 *   <li>before the first cell (kernel start-up scripts), output is held and shown in the first cell.</li>
 * </ol>
 * A silent execution shows nothing, as the messaging spec asks.
 *
 * <p>Thread-safe.
 */
public final class OutputRouter {

    private static final int MAX_HELD_CHARS = 1 << 20;

    private final IopubPublisher publisher;
    private volatile CellRun running;
    private volatile CellRun latest;
    private final StringBuilder heldOut = new StringBuilder();
    private final StringBuilder heldErr = new StringBuilder();

    public OutputRouter(IopubPublisher publisher) {
        this.publisher = publisher;
    }

    /** {@code run} is executing from now on. Output held since start-up goes to it if it shows output. */
    public void begin(CellRun run) {
        if (run.request() != null && !run.isSilent()) {
            latest = run;
            releaseHeld(run);
        }
        running = run;
    }

    /** {@code run} has finished executing. */
    public void end(CellRun run) {
        if (running == run) {
            running = null;
        }
    }

    /** The run whose cell shows what {@code owner}'s threads (or a thread of no cell, if null) produce now. */
    CellRun target(CellRun owner) {
        CellRun now = running;
        if (owner != null && owner == now) {
            return owner;
        }
        if (now != null && now.request() != null && !now.isSilent()) {
            return now;
        }
        CellRun last = latest;
        if (owner != null && owner == last) {
            return owner;
        }
        return last != null ? last : now;
    }

    /** Writes text to a stream of the cell that the calling thread's output goes to. */
    public void write(PublishStream.StreamType stream, String text) {
        writeFor(CellRun.of(Thread.currentThread()), stream, text);
    }

    /** Writes text to a stream of the cell that output of {@code owner}'s threads goes to. */
    public void writeFor(CellRun owner, PublishStream.StreamType stream, String text) {
        CellRun run = target(owner);
        if (run == null || run.request() == null) {
            hold(stream, text);
        } else if (!run.isSilent()) {
            publisher.stream(run.request(), stream, text);
        }
    }

    /** Publishes display data, a display update or similar for the calling thread's cell. */
    public <T extends ContentType<T>> void publish(T content) {
        publish(content.getType(), content);
    }

    /** Publishes content of the given type for the calling thread's cell. */
    public void publish(MessageType<?> type, Object content) {
        CellRun run = target(CellRun.of(Thread.currentThread()));
        if (run == null || run.request() == null || run.isSilent()) {
            return;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Message<?> message = new Message(run.request(), type, content);
        publisher.publish(message);
    }

    private void hold(PublishStream.StreamType stream, String text) {
        StringBuilder held = stream == PublishStream.StreamType.ERR ? heldErr : heldOut;
        synchronized (held) {
            if (held.length() + text.length() <= MAX_HELD_CHARS) {
                held.append(text);
            }
        }
    }

    private void releaseHeld(CellRun run) {
        for (PublishStream.StreamType stream : PublishStream.StreamType.values()) {
            StringBuilder held = stream == PublishStream.StreamType.ERR ? heldErr : heldOut;
            String text;
            synchronized (held) {
                text = held.toString();
                held.setLength(0);
            }
            if (!text.isEmpty()) {
                publisher.stream(run.request(), stream, text);
            }
        }
    }

    /** The running cell if {@code thread} belongs to it and it may read input, else null. */
    public CellRun inputTarget(Thread thread) {
        CellRun owner = CellRun.of(thread);
        CellRun now = running;
        return owner != null && owner == now && now.request() != null && now.isStdinAllowed() ? now : null;
    }
}
