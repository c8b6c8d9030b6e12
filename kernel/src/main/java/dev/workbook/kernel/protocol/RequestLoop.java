package dev.workbook.kernel.protocol;

import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads requests from one ROUTER socket (shell or control) on a thread of its own and hands each to the
 * handler. The thread blocks in a poll, so a request is handled as soon as it arrives; requests on one
 * socket are handled one after another, in order.
 */
final class RequestLoop {

    /** Handles one request, on the loop's thread. */
    interface Handler {
        void handle(Message<?> request);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RequestLoop.class);

    private final KernelSocket socket;
    private final ZMQ.Poller poller;
    private final Handler handler;
    private volatile boolean running = true;
    private Thread thread;

    RequestLoop(KernelSocket socket, ZMQ.Context context, Handler handler) {
        this.socket = socket;
        this.handler = handler;
        this.poller = context.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
    }

    void start() {
        thread = KernelThreads.start(socket.name() + "-requests", this::loop);
    }

    private void loop() {
        while (running) {
            Message<?> request = next(200);
            if (request == null) {
                continue;
            }
            try {
                handler.handle(request);
            } catch (RuntimeException | Error e) {
                LOG.error("failed to handle a {} request", request.getHeader().getType().getName(), e);
            }
        }
    }

    /** The next request, waiting up to {@code timeoutMillis}; null if none arrived or it was unreadable. */
    private Message<?> next(long timeoutMillis) {
        try {
            if (poller.poll(timeoutMillis) > 0 && poller.pollin(0)) {
                return socket.readMessage();
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("dropped an unreadable message on {}: {}", socket.name(), e.toString());
            }
        }
        return null;
    }

    /**
     * The requests that have already arrived and wait to be handled, taken off the socket without
     * waiting. Only for the loop's own thread (from inside a handler).
     */
    List<Message<?>> takeWaiting() {
        List<Message<?>> waiting = new ArrayList<>();
        for (Message<?> m = next(0); m != null; m = next(0)) {
            waiting.add(m);
        }
        return waiting;
    }

    void stop() {
        running = false;
    }

    void join(long millis) {
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
