package dev.workbook.kernel.protocol;

import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.InputReply;
import org.dflib.jjava.jupyter.messages.request.InputRequest;
import org.zeromq.ZMQ;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Asks the front end for a line of input over the stdin channel ({@code input_request} /
 * {@code input_reply}) on a kernel thread, so that a user thread reading {@code System.in} waits on a
 * future it can be interrupted out of, rather than inside a ZeroMQ call.
 *
 * <p>Requests are served one at a time in arrival order, and the next {@code input_reply} answers the
 * pending request (front ends such as jupyter_client do not set its parent header). A reply that arrives
 * when no request is pending (for a request whose reader gave up) is discarded.
 */
public final class InputRequests implements AutoCloseable {

    private final KernelSocket stdin;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    InputRequests(KernelSocket stdin, ZMQ.Context context) {
        this.stdin = stdin;
        ZMQ.Poller poller = context.poller(1);
        poller.register(stdin, ZMQ.Poller.POLLIN);
        this.thread = KernelThreads.start("stdin", () -> serve(poller));
    }

    /**
     * Asks the front end that sent {@code parent} for input and waits for it.
     *
     * @return the line typed, without a line terminator
     * @throws InterruptedException if the calling thread is interrupted while waiting (the request is dropped)
     */
    public String read(MessageContext parent, String prompt, boolean password) throws InterruptedException {
        Pending pending = new Pending(parent, prompt, password);
        queue.add(pending);
        try {
            return pending.answer.get();
        } catch (InterruptedException e) {
            pending.answer.cancel(false);
            throw e;
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("no input: " + e.getMessage(), e);
        }
    }

    private void serve(ZMQ.Poller poller) {
        while (running) {
            Pending pending;
            try {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (pending == null || pending.answer.isDone()) {
                discardStaleReplies(poller);
                continue;
            }
            discardStaleReplies(poller);
            stdin.sendMessage(new Message<>(pending.parent, MessageType.INPUT_REQUEST,
                    new InputRequest(pending.prompt, pending.password)));
            while (running && !pending.answer.isDone()) {
                if (poller.poll(100) <= 0 || !poller.pollin(0)) {
                    continue;
                }
                Message<?> reply = stdin.readMessage();
                if (reply != null && reply.getContent() instanceof InputReply) {
                    pending.answer.complete(((InputReply) reply.getContent()).getValue());
                }
            }
        }
    }

    private void discardStaleReplies(ZMQ.Poller poller) {
        while (poller.poll(0) > 0 && poller.pollin(0)) {
            stdin.readMessage();
        }
    }

    @Override
    public void close() {
        running = false;
        queue.forEach(p -> p.answer.cancel(false));
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Pending {
        final MessageContext parent;
        final String prompt;
        final boolean password;
        final CompletableFuture<String> answer = new CompletableFuture<>();

        Pending(MessageContext parent, String prompt, boolean password) {
            this.parent = parent;
            this.prompt = prompt;
            this.password = password;
        }
    }
}
