package dev.workbook.kernel.comm;

import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.comm.CommOpenCommand;

import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The kernel's comms, for notebook code ({@code comms()} in a cell): the base library's comm manager behind
 * an API of maps and strings, so that no Gson jar is needed in the notebook.
 *
 * <pre>
 * NotebookComm comm = comms().open("my.widget", Map.of("value", 1));   // the front end's target gets comm_open
 * comm.onMessage(data -&gt; System.out.println(data.get("clicked")));
 * comm.send(Map.of("value", 2));
 *
 * comms().onOpen("echo", opened -&gt; opened.onMessage(opened::send));    // comms the front end opens
 * </pre>
 *
 * <p>Thread-safe as far as the base library's manager is: open and send from any thread of a cell.
 * Messages carry the running cell (or the latest) as parent, so a front end shows what they cause there.
 */
public final class NotebookComms {

    // The manager is held, not extended: JShell cannot compile a call on a type whose inherited methods
    // name classes it cannot see (CommManager's take Gson's JsonObject), and drops such a cell's code.
    private final Manager manager;

    /** What the kernel gives the base library as its comm manager; {@link #of} makes the notebook's view. */
    public static final class Manager extends CommManager {
        private final NotebookComms comms = new NotebookComms(this);

        private void sendOpen(String id, String targetName, com.google.gson.JsonObject data) {
            iopub.sendMessage(new Message<>(context, CommOpenCommand.MESSAGE_TYPE, new CommOpenCommand(id, targetName, data)));
        }
    }

    private NotebookComms(Manager manager) {
        this.manager = manager;
    }

    /** The notebook's view of the kernel's comm manager. */
    public static NotebookComms of(CommManager manager) {
        if (!(manager instanceof Manager)) {
            throw new IllegalStateException("the kernel's comm manager is not the workbook's: " + manager.getClass().getName());
        }
        return ((Manager) manager).comms;
    }

    /**
     * Opens a comm to the front end's {@code targetName}, with {@code data} in the {@code comm_open}.
     * Does not wait: a front end without that target closes the comm (then {@link NotebookComm#onClose}
     * runs).
     *
     * @throws IllegalArgumentException naming a value of {@code data} that JSON cannot hold
     */
    public NotebookComm open(String targetName, Map<String, ?> data) {
        if (targetName == null || targetName.isBlank()) {
            throw new IllegalArgumentException("a comm needs a target name: the name the front end registered (e.g. \"jupyter.widget\")");
        }
        com.google.gson.JsonObject json = JsonValues.toJsonObject(data); // fails before anything is sent
        NotebookComm comm = new NotebookComm(manager, UUID.randomUUID().toString(), targetName, JsonValues.toMap(json));
        manager.registerComm(comm.channel());
        manager.sendOpen(comm.id(), targetName, json);
        return comm;
    }

    /** Opens a comm with no data. */
    public NotebookComm open(String targetName) {
        return open(targetName, Map.of());
    }

    /**
     * Answers the comms the front end opens with {@code targetName}: {@code opened} gets each new comm
     * (its {@link NotebookComm#openData()} holds the open message's data) and sets its handlers. Replaces
     * an earlier registration of the name.
     */
    public void onOpen(String targetName, Consumer<NotebookComm> opened) {
        manager.registerTarget(targetName, (owner, id, target, message) -> {
            NotebookComm comm = new NotebookComm(owner, id, target, JsonValues.toMap(message.getContent().getData()));
            opened.accept(comm);
            return comm.channel();
        });
    }

    /** The comm with {@code id} that this API opened or answered, or null (closed, unknown or the base library's). */
    public NotebookComm get(String id) {
        return NotebookComm.of(manager.getCommByID(id));
    }

    /** Stops answering comms opened with {@code targetName}; open ones stay open. */
    public void removeTarget(String targetName) {
        manager.unregisterTarget(targetName);
    }
}
