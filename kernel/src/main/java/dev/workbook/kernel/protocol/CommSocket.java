package dev.workbook.kernel.protocol;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * What the base library's comm manager takes for the IOPub socket. It is never bound: messages "sent" on
 * it go to the {@link IopubPublisher}, because comm messages are sent from user threads and user threads
 * must not touch a ZeroMQ socket.
 */
final class CommSocket extends JupyterSocket {

    private final IopubPublisher publisher;

    CommSocket(ZMQ.Context context, HMACGenerator hmac, IopubPublisher publisher) {
        super(context, SocketType.PUB, hmac, LoggerFactory.getLogger("kernel.comms"));
        this.publisher = publisher;
    }

    @Override
    public void bind(KernelConnectionProperties connection) {
        throw new UnsupportedOperationException("the comm socket forwards to the IOPub publisher");
    }

    @Override
    public void sendMessage(Message<?> message) {
        publisher.publish(message);
    }
}
