package dev.workbook.kernel.protocol;

import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only way messages reach the IOPub socket. Threads that print or display (user threads included)
 * {@linkplain #enqueue enqueue}; a kernel thread sends what is queued. The kernel's own request threads
 * (shell, control) may send {@linkplain #publishNow directly}, after what is queued, which saves a thread
 * hand-off on every request. No user thread ever touches the ZeroMQ socket, so an interrupt or a stop can
 * never tear a half-sent message.
 *
 * <p>Ordering: messages are sent in the order they were enqueued or published; everything is sent under
 * one lock, and a direct send first drains the queue. Consecutive stream chunks for the same cell and
 * stream go out as one message, so a loop printing a million short lines costs far fewer messages.
 *
 * <p>Enqueueing blocks while the queue is full (back pressure on a cell that prints faster than the socket
 * drains); a thread interrupted while blocked drops its text.
 */
public final class IopubPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IopubPublisher.class);
    private static final int CAPACITY = 16_384;
    private static final int MAX_COALESCED_CHARS = 1 << 20;

    private final JupyterSocket iopub;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final ReentrantLock sending = new ReentrantLock();
    private final Object wakeup = new Object();
    private final Thread sender;
    private volatile boolean senderWaiting;
    private volatile boolean running = true;

    public IopubPublisher(JupyterSocket iopub) {
        this.iopub = iopub;
        this.sender = KernelThreads.start("iopub-publisher", this::sendLoop);
    }

    /** Queues a message; for any thread. */
    public void publish(Message<?> message) {
        enqueue(new Item(message, null, null, null));
    }

    /** Queues text for a stream ({@code stdout} or {@code stderr}) of the cell that sent {@code parent}. */
    public void stream(MessageContext parent, PublishStream.StreamType stream, String text) {
        if (!text.isEmpty()) {
            enqueue(new Item(null, parent, stream, text));
        }
    }

    /**
     * Sends what is queued, then {@code message}, on the calling thread. For the kernel's request threads
     * only: a user thread must not be in the socket when it is stopped.
     */
    public void publishNow(Message<?> message) {
        sending.lock();
        try {
            drain();
            send(message);
        } finally {
            sending.unlock();
        }
    }

    /** Sends everything queued before this call, on the calling thread (a kernel request thread). */
    public void flush() {
        sending.lock();
        try {
            drain();
        } finally {
            sending.unlock();
        }
    }

    private void enqueue(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (senderWaiting) {
            synchronized (wakeup) {
                wakeup.notifyAll();
            }
        }
    }

    private void sendLoop() {
        while (running || !queue.isEmpty()) {
            synchronized (wakeup) {
                senderWaiting = true;
                try {
                    if (queue.isEmpty() && running) {
                        wakeup.wait(100);
                    }
                } catch (InterruptedException e) {
                    // keep serving until closed
                } finally {
                    senderWaiting = false;
                }
            }
            flush();
        }
    }

    /** Sends every queued item; call with the lock held. */
    private void drain() {
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            if (item.message != null) {
                send(item.message);
                continue;
            }
            StringBuilder text = new StringBuilder(item.text);
            for (Item next = queue.peek(); next != null && item.continuedBy(next)
                    && text.length() < MAX_COALESCED_CHARS; next = queue.peek()) {
                text.append(queue.poll().text);
            }
            send(new Message<>(item.parent, PublishStream.MESSAGE_TYPE, new PublishStream(item.stream, text.toString())));
        }
    }

    private void send(Message<?> message) {
        try {
            iopub.sendMessage(message);
        } catch (RuntimeException e) {
            LOG.warn("could not publish a {} message on IOPub", message.getHeader().getType().getName(), e);
        }
    }

    /** Sends what is queued and stops the sender thread. */
    @Override
    public void close() {
        flush();
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Item {
        final Message<?> message;
        final MessageContext parent;
        final PublishStream.StreamType stream;
        final String text;

        Item(Message<?> message, MessageContext parent, PublishStream.StreamType stream, String text) {
            this.message = message;
            this.parent = parent;
            this.stream = stream;
            this.text = text;
        }

        boolean continuedBy(Item next) {
            return next.text != null && next.stream == stream && next.parent == parent;
        }
    }
}
