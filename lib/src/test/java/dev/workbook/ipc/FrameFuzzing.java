package dev.workbook.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For the fuzz targets of stream decoders: a connected pair of Unix-domain sockets whose far end has
 * sent exactly the fuzzer's bytes and then closed its side, so that the decoder under test reads
 * those bytes and then the end of the stream.
 */
final class FrameFuzzing implements AutoCloseable {

    private final Path directory;
    private final SocketChannel far;
    final SocketChannel near;

    FrameFuzzing(byte[] bytes) {
        try {
            directory = Files.createTempDirectory("wb-fuzz-");
            Path socket = directory.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                far = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                near = server.accept();
            }
            Files.delete(socket);
            ByteBuffer data = ByteBuffer.wrap(bytes);
            while (data.hasRemaining()) {
                far.write(data); // fuzz inputs are a few KiB: the socket buffer takes them
            }
            far.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("setting up a socket pair", e);
        }
    }

    @Override
    public void close() throws IOException {
        near.close();
        far.close();
        Files.deleteIfExists(directory);
    }
}
