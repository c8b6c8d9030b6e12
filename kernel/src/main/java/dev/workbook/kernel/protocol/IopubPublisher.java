package dev.workbook.kernel.protocol;

import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The only sender on the IOPub socket: one kernel thread takes messages from a bounded queue in order and
 * sends them. Threads that print or display (user threads included) only enqueue, so no user thread ever
 * touches a ZeroMQ socket, and an interrupt or a stop can never tear a half-sent message.
 *
 * <p>Consecutive stream chunks for the same cell and stream are sent as one message, so a loop that prints
 * a million short lines costs far fewer than a million messages.
 *
 * <p>Ordering: messages are sent in the order they were enqueued. {@link #flush} returns once everything
 * enqueued before it has been sent. Enqueueing blocks while the queue is full (back pressure on a cell
 * that prints faster than the socket drains); a thread interrupted while blocked drops its message.
 */
public final class IopubPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IopubPublisher.class);
    private static final int CAPACITY = 16_384;
    private static final int MAX_COALESCED_CHARS = 1 << 20;

    private final JupyterSocket iopub;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread sender;
    private volatile boolean running = true;

    public IopubPublisher(JupyterSocket iopub) {
        this.iopub = iopub;
        this.sender = KernelThreads.start("iopub-publisher", this::sendLoop);
    }

    /** Enqueues a complete message. */
    public void publish(Message<?> message) {
        enqueue(new Item(message, null, null, null, null));
    }

    /** Enqueues text for a stream ({@code stdout} or {@code stderr}) of the cell that sent {@code parent}. */
    public void stream(MessageContext parent, PublishStream.StreamType stream, String text) {
        if (!text.isEmpty()) {
            enqueue(new Item(null, parent, stream, text, null));
        }
    }

    /** Waits up to {@code timeoutMillis} until every message enqueued before this call has been sent. */
    public void flush(long timeoutMillis) {
        CountDownLatch sent = new CountDownLatch(1);
        enqueue(new Item(null, null, null, null, sent));
        try {
            sent.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop() {
        while (running || !queue.isEmpty()) {
            Item item;
            try {
                item = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (item == null) {
                continue;
            }
            try {
                send(item);
            } catch (RuntimeException e) {
                LOG.warn("could not publish a message on IOPub", e);
            }
        }
    }

    private void send(Item item) {
        if (item.flushed != null) {
            item.flushed.countDown();
            return;
        }
        if (item.message != null) {
            iopub.sendMessage(item.message);
            return;
        }
        StringBuilder text = new StringBuilder(item.text);
        for (Item next = queue.peek(); next != null && item.continuedBy(next)
                && text.length() < MAX_COALESCED_CHARS; next = queue.peek()) {
            text.append(queue.poll().text);
        }
        iopub.sendMessage(new Message<>(item.parent, PublishStream.MESSAGE_TYPE,
                new PublishStream(item.stream, text.toString())));
    }

    /** Sends what is queued (waiting up to two seconds) and stops the sender thread. */
    @Override
    public void close() {
        flush(2000);
        running = false;
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
        final CountDownLatch flushed;

        Item(Message<?> message, MessageContext parent, PublishStream.StreamType stream, String text,
             CountDownLatch flushed) {
            this.message = message;
            this.parent = parent;
            this.stream = stream;
            this.text = text;
            this.flushed = flushed;
        }

        boolean continuedBy(Item next) {
            return next.text != null && next.stream == stream && next.parent == parent;
        }
    }
}
