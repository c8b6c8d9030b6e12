/**
 * Communication between JVMs on one machine (and, for {@link dev.workbook.ipc.Listener} and
 * {@link dev.workbook.ipc.Client}, between hosts): CPython's {@code multiprocessing} queues, pipes,
 * locks, events, semaphores and shared values, built on named shared-memory regions
 * ({@link dev.workbook.ipc.SharedMemory}) and Unix-domain or TCP sockets.
 *
 * <p>Messages are values encoded by {@link dev.workbook.codec.MessageCodec}; a queue or connection
 * carries the codec's bytes without looking inside, and decodes what it receives under the
 * receiving handle's policy: by default an explicit list of side-effect-free JDK classes, never the
 * handles of this package (reading one back attaches memory or binds a socket). Handles of this
 * package are {@link java.io.Serializable} so that they can be handed to a child process, which
 * attaches where it reads them.
 *
 * <p>Every JVM that loads this package needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (Agrona). See docs/ipc.md.
 */
package dev.workbook.ipc;
