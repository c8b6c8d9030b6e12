package dev.workbook.kernel.protocol;

import dev.workbook.kernel.exec.KernelThreads;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel's five ZeroMQ sockets bound to the ports of a connection file, with a thread per socket:
 * shell and control requests, stdin input, the IOPub publisher, and the heartbeat echo.
 */
public final class KernelChannels implements AutoCloseable {

    private final ZMQ.Context context = ZMQ.context(1);
    private final KernelSocket shell;
    private final KernelSocket control;
    private final KernelSocket stdin;
    private final KernelSocket iopub;
    private final ZMQ.Socket heartbeat;
    private final IopubPublisher publisher;
    private final InputRequests input;
    private final CommSocket comms;
    private final Thread heartbeatThread;
    private RequestLoop shellLoop;
    private RequestLoop controlLoop;
    private volatile boolean open = true;

    /** Binds every socket and starts the heartbeat and the publisher; requests are served after {@link #serve}. */
    public KernelChannels(KernelConnectionProperties connection) throws GeneralSecurityException {
        HMACGenerator hmac = connection.createHMACGenerator();
        shell = new KernelSocket(context, SocketType.ROUTER, hmac, "shell", KernelConnectionProperties::getShellPort);
        control = new KernelSocket(context, SocketType.ROUTER, hmac, "control", KernelConnectionProperties::getControlPort);
        stdin = new KernelSocket(context, SocketType.ROUTER, hmac, "stdin", KernelConnectionProperties::getStdinPort);
        iopub = new KernelSocket(context, SocketType.PUB, hmac, "iopub", KernelConnectionProperties::getIopubPort);
        for (KernelSocket socket : new KernelSocket[]{shell, control, stdin, iopub}) {
            socket.bind(connection);
        }
        heartbeat = context.socket(SocketType.REP);
        heartbeat.setLinger(0);
        heartbeat.setReceiveTimeOut(200);
        heartbeat.bind(connection.getTransport() + "://" + connection.getIp() + ":" + connection.getHbPort());
        heartbeatThread = KernelThreads.start("heartbeat", this::echoHeartbeats);
        publisher = new IopubPublisher(iopub);
        input = new InputRequests(stdin, context);
        comms = new CommSocket(context, hmac, publisher);
        publisher.publishNow(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    /** Starts reading requests: shell requests go to {@code onShell}, control requests to {@code onControl}. */
    public void serve(Consumer<Request> onShell, Consumer<Request> onControl) {
        shellLoop = new RequestLoop(shell, context, m -> onShell.accept(new Request(m, shell)));
        controlLoop = new RequestLoop(control, context, m -> onControl.accept(new Request(m, control)));
        shellLoop.start();
        controlLoop.start();
    }

    public IopubPublisher publisher() {
        return publisher;
    }

    public InputRequests input() {
        return input;
    }

    /** Shell requests that already arrived, taken without waiting; for the shell thread only. */
    public List<Request> takeWaitingShellRequests() {
        List<Request> waiting = new ArrayList<>();
        for (Message<?> m : shellLoop.takeWaiting()) {
            waiting.add(new Request(m, shell));
        }
        return waiting;
    }

    /** A socket that the base library's comm manager can "send" on: it hands messages to the publisher. */
    public JupyterSocket commSocket() {
        return comms;
    }

    private void echoHeartbeats() {
        while (open) {
            try {
                byte[] ping = heartbeat.recv(0);
                if (ping != null) {
                    heartbeat.send(ping, 0);
                }
            } catch (RuntimeException closed) {
                return;
            }
        }
    }

    /** Waits until the request loops have ended (after {@link #close()}). */
    public void awaitClosed(long millis) {
        if (shellLoop != null) {
            shellLoop.join(millis);
        }
        if (controlLoop != null) {
            controlLoop.join(millis);
        }
    }

    /** Sends what the publisher holds, then stops every thread and closes the sockets. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        if (shellLoop != null) {
            shellLoop.stop();
            controlLoop.stop();
        }
        publisher.close();
        input.close();
        open = false;
        awaitClosed(1000);
        try {
            heartbeatThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ZMQ.Socket socket : new ZMQ.Socket[]{shell, control, stdin, iopub, heartbeat, comms}) {
            try {
                socket.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        context.close();
    }
}
