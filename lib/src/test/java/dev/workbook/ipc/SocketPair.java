package dev.workbook.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A connected pair of Unix-domain sockets in a fresh temporary directory: the code under test reads
 * {@link #near}, and the test plays the peer on {@link #far}, writing whatever bytes a hostile or
 * damaged peer would. Closing it closes both ends and removes the directory.
 */
final class SocketPair implements AutoCloseable {

    private final Path directory;
    final SocketChannel far;
    final SocketChannel near;

    SocketPair() throws IOException {
        directory = Files.createTempDirectory("wb-socket-pair-");
        Path socket = directory.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            far = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            near = server.accept();
        }
        Files.delete(socket);
    }

    /** Writes these bytes on the far end (a few KiB at most: the socket buffer takes them without a reader). */
    void send(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            far.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        near.close();
        far.close();
        Files.deleteIfExists(directory);
    }
}
