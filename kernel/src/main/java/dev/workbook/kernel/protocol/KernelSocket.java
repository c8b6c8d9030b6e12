package dev.workbook.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.util.function.ToIntFunction;

/**
 * One of the kernel's Jupyter sockets (shell, control, stdin, iopub), with the base library's message
 * framing and signing. Unlike the base library's channels it runs no loop of its own: {@link RequestLoop}
 * polls it, so a request is read the moment it arrives instead of on the next 50 ms tick.
 *
 * <p>Not thread-safe beyond what {@link JupyterSocket} gives (its read and send are synchronized): each
 * socket has one thread that reads it, and only kernel threads send on it.
 */
final class KernelSocket extends JupyterSocket {

    private final String name;
    private final ToIntFunction<KernelConnectionProperties> port;

    KernelSocket(ZMQ.Context context, SocketType type, HMACGenerator hmac, String name,
                 ToIntFunction<KernelConnectionProperties> port) {
        super(context, type, hmac, LoggerFactory.getLogger("kernel." + name));
        this.name = name;
        this.port = port;
        setLinger(1000);
    }

    @Override
    public void bind(KernelConnectionProperties connection) {
        String address = connection.getTransport() + "://" + connection.getIp() + ":" + port.applyAsInt(connection);
        if (!bind(address)) {
            throw new IllegalStateException("cannot bind the " + name + " socket to " + address);
        }
    }

    String name() {
        return name;
    }
}
