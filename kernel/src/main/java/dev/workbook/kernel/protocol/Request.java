package dev.workbook.kernel.protocol;

import com.google.gson.JsonObject;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;

/**
 * A request read from the shell or control socket, with the means to answer it on the same socket.
 */
public final class Request {

    private final Message<?> message;
    private final KernelSocket origin;

    Request(Message<?> message, KernelSocket origin) {
        this.message = message;
        this.origin = origin;
    }

    public Message<?> message() {
        return message;
    }

    public MessageType<?> type() {
        return message.getHeader().getType();
    }

    /** The request's content as the base library parsed it. */
    public Object content() {
        return message.getContent();
    }

    public boolean onControl() {
        return "control".equals(origin.name());
    }

    /**
     * Sends the reply. {@code content} is written as given, which lets the kernel include every field the
     * messaging spec requires (the base library's reply classes lack {@code status} in several places).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void reply(MessageType<?> replyType, JsonObject content) {
        origin.sendMessage(new Message(message, replyType, content));
    }
}
