package dev.workbook.kernel.protocol;

import com.google.gson.Gson;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;

/**
 * The reply environment the base library's comm handlers get: what they publish goes through the
 * publisher with the comm message as parent. Busy and idle are already published around every request by
 * the kernel, so the handlers' own status calls do nothing.
 */
public final class CommEnvironment implements ReplyEnvironment {

    private static final Gson GSON = new Gson();

    private final Request request;
    private final IopubPublisher publisher;

    public CommEnvironment(Request request, IopubPublisher publisher) {
        this.request = request;
        this.publisher = publisher;
    }

    @Override
    public void publish(Message<?> message) {
        publisher.publish(message);
    }

    @Override
    public void reply(Message<?> message) {
        request.reply(message.getHeader().getType(), GSON.toJsonTree(message.getContent()).getAsJsonObject());
    }

    @Override
    public ReplyEnvironment defer() {
        return this;
    }

    @Override
    public void defer(Runnable action) {
        action.run();
    }

    @Override
    public void resolveDeferrals() {
        // nothing is deferred
    }

    @Override
    public <T extends ContentType<T>> void publish(T content) {
        publisher.publish(new Message<>(request.message(), content.getType(), content));
    }

    @Override
    public <T extends ContentType<T>> void reply(T content) {
        request.reply(content.getType(), GSON.toJsonTree(content).getAsJsonObject());
    }

    @Override
    public void replyError(MessageType<?> type, ErrorReply error) {
        request.reply(type, Replies.error(error.getErrorName(), error.getErrorMessage(), error.getStacktrace()));
    }

    @Override
    public void setStatusBusy() {
        // the kernel publishes busy for every request
    }

    @Override
    public void setStatusIdle() {
        // the kernel publishes idle for every request
    }

    @Override
    public void setBusyDeferIdle() {
        // the kernel publishes busy and idle for every request
    }
}
