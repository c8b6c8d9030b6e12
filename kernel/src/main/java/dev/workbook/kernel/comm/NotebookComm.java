package dev.workbook.kernel.comm;

import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.comm.CommCloseCommand;
import org.dflib.jjava.jupyter.messages.comm.CommMsgCommand;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One open comm between the notebook and a front-end target, with data as plain Java values (see
 * {@link NotebookComms}).
 *
 * <p>Handlers run on the kernel's shell thread, between cells (a comm message is a shell request): a
 * handler should return quickly, since the next cell waits for it. An exception a handler throws is
 * printed to the notebook and the comm stays open. Handlers may be set from any thread; the latest set
 * wins.
 */
public final class NotebookComm {

    // The base library's comm is held, not extended: its send(JsonObject) would be an overload of
    // send(Map), and JShell cannot compile a call to send against a type whose class (Gson) it cannot see.
    private final Channel channel;
    private final Map<String, Object> openData;
    private volatile Consumer<Map<String, Object>> onMessage = data -> { };
    private volatile Consumer<Map<String, Object>> onClose = data -> { };

    NotebookComm(CommManager manager, String id, String targetName, Map<String, Object> openData) {
        this.channel = new Channel(manager, id, targetName);
        this.openData = openData;
    }

    /** What the base library's comm manager registers and calls. */
    Comm channel() {
        return channel;
    }

    /** The notebook comm whose channel {@code comm} is, or null. */
    static NotebookComm of(Comm comm) {
        return comm instanceof Channel ? ((Channel) comm).owner() : null;
    }

    /** The comm's id, as the front end knows it. */
    public String id() {
        return channel.getID();
    }

    public String targetName() {
        return channel.getTargetName();
    }

    public boolean isClosed() {
        return channel.isClosed();
    }

    /** Closes the comm: the front end gets {@code comm_close}. Closing a closed comm does nothing. */
    public void close() {
        if (!channel.isClosed()) {
            channel.close();
        }
    }

    /** The data of the {@code comm_open} message (sent by the notebook, or by the front end). */
    public Map<String, Object> openData() {
        return openData;
    }

    /**
     * Sends {@code data} to the front end's side of the comm, as a {@code comm_msg} with the running (or
     * latest) cell as parent.
     *
     * @throws IllegalArgumentException naming a value JSON cannot hold
     * @throws IllegalStateException    if the comm is closed
     */
    public void send(Map<String, ?> data) {
        if (isClosed()) {
            throw new IllegalStateException("the comm " + id() + " (" + targetName() + ") is closed");
        }
        channel.send(JsonValues.toJsonObject(data));
    }

    /** Calls {@code handler} with the data of every message the front end sends on this comm. */
    public NotebookComm onMessage(Consumer<Map<String, Object>> handler) {
        this.onMessage = handler == null ? data -> { } : handler;
        return this;
    }

    /** Calls {@code handler} with the close message's data when the front end closes the comm. */
    public NotebookComm onClose(Consumer<Map<String, Object>> handler) {
        this.onClose = handler == null ? data -> { } : handler;
        return this;
    }

    private final class Channel extends Comm {
        Channel(CommManager manager, String id, String targetName) {
            super(manager, id, targetName);
        }

        NotebookComm owner() {
            return NotebookComm.this;
        }

        @Override
        protected void onMessage(Message<CommMsgCommand> message) {
            deliver(onMessage, message.getContent().getData(), "message");
        }

        @Override
        protected void onClose(Message<CommCloseCommand> message, boolean sending) {
            if (!sending) {
                deliver(onClose, message.getContent().getData(), "close");
            }
        }
    }

    private void deliver(Consumer<Map<String, Object>> handler, com.google.gson.JsonObject data, String what) {
        try {
            handler.accept(JsonValues.toMap(data));
        } catch (RuntimeException e) {
            System.err.println("The " + what + " handler of comm " + id() + " (" + targetName() + ") failed: " + e);
        }
    }
}
