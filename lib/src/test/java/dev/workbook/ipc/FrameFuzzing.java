package dev.workbook.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * For the fuzz targets of stream decoders: a connected pair of Unix-domain sockets whose far end has
 * sent exactly the fuzzer's bytes and then closed its side, so that the decoder under test reads
 * those bytes and then the end of the stream.
 */
final class FrameFuzzing implements AutoCloseable {

    private final SocketPair pair;
    final SocketChannel near;

    FrameFuzzing(byte[] bytes) {
        try {
            pair = new SocketPair();
            pair.send(ByteBuffer.wrap(bytes)); // fuzz inputs are a few KiB
            pair.far.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("setting up a socket pair", e);
        }
        near = pair.near;
    }

    @Override
    public void close() throws IOException {
        pair.close();
    }
}
