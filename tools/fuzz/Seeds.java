// Writes the seed inputs of the decoders' fuzz targets into lib/src/test/resources: a few valid and a
// few broken examples of each format, from which the fuzzer mutates. Run from the repository root,
// after `mvn -q -o -pl lib test-compile`:
//   java -cp lib/target/classes tools/fuzz/Seeds.java
// Inputs the fuzzer found (crashes turned regression inputs) live beside these and are not rewritten.
import dev.workbook.codec.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class Seeds {
    static final Path RESOURCES = Path.of("lib/src/test/resources/dev/workbook");

    public static void main(String[] args) throws Exception {
        MessageCodec codec = MessageCodec.defaults();
        List<byte[]> values = new ArrayList<>();
        for (Object value : List.of(42L, -7, 2.5, true, false, "héllo wörld", "lone \uD800 surrogate", new byte[] {1, 2, 3},
                new ArrayList<>(Arrays.asList(1L, "two", 3.0, false)), new TreeMap<>(Map.of("k", List.of(1, 2))),
                java.time.LocalDate.of(2026, 12, 1), new java.util.LinkedList<>(List.of("a", "b")))) {
            values.add(codec.encode(value));
        }
        values.add(codec.encode(null));
        write("codec/MessageCodecFuzzTestInputs/decodingAnyBytesUnderTheDefaultPolicyFailsOnlyWithADecodingError", values);
        write("process/PoolFramesFuzzTestInputs/aResultFrameOfAnyBytesFailsOnlyWithADecodingError", values);
        write("codec/MessageCodecFuzzTestInputs/everyListOfScalarsComesBackEqual",
                List.of("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), new byte[] {4, 65, 66, 67, 5, 0, 1, 2}));

        List<byte[]> frames = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] value : values) {
            byte[] frame = ByteBuffer.allocate(4 + value.length).putInt(value.length).put(value).array();
            frames.add(frame);
            stream.write(frame);
        }
        frames.add(stream.toByteArray());
        frames.add(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array());
        write("ipc/ConnectionFuzzTestInputs/whateverAPeerSendsReceivingFailsOnlyWithADocumentedError", frames);

        byte[] challenge = ByteBuffer.allocate(8 + 40).putInt(40).putInt(0).put("WBAUTH1:".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[32]).array();
        byte[] welcome = ByteBuffer.allocate(8 + 9).putInt(9).putInt(0).put("#WELCOME#".getBytes(StandardCharsets.US_ASCII)).array();
        byte[] response = ByteBuffer.allocate(8 + 32).putInt(32).putInt(0).put(new byte[32]).array();
        write("ipc/HandshakeFuzzTestInputs/aClientAnsweringAnyBytesFailsOnlyWithAnIoError",
                List.of(concat(challenge, welcome), challenge, ByteBuffer.allocate(8).putInt(-1).putInt(0).array()));
        write("ipc/HandshakeFuzzTestInputs/aListenerChallengingAnyBytesFailsOnlyWithAnIoError",
                List.of(concat(response, challenge), response));

        byte[] text = "a line of output\n".getBytes(StandardCharsets.US_ASCII);
        byte[] result = wireFrame(12, 1, codec.encode(97L));
        byte[] failed = wireFrame(13, 2, failure(new IllegalStateException("seed")));
        write("process/WireFuzzTestInputs/readingAnyBytesFailsOnlyWithAnIoError",
                List.of(concat(text, result), concat(result, failed, text), wireFrame(10, 0, new byte[0])));
        write("process/PoolFramesFuzzTestInputs/aFailedFrameOfAnyBytesDecodesToSomeThrowable",
                List.of(failure(new IllegalStateException("seed")), failure(new java.io.UncheckedIOException(new IOException("io")))));

        // CALL payloads as WorkerProtocol documents them: bundle change (UTF key, bool bundle follows,
        // [bundle: UTF key, int classes, (UTF name, int length, bytes)*, int variables,
        // (UTF class, UTF field, int length, bytes)*], UTF key to drop), then byte 0 (callable: int
        // length, bytes) or byte 1 (apply: long function id, bool function follows, [int length, bytes],
        // long function to drop, int length, items).
        byte[] callable = codec.encode("a callable's bytes");
        byte[] items = codec.encode(List.of(1L, "two"));
        write("process/PoolFramesFuzzTestInputs/aCallFrameOfAnyBytesFailsOnlyWithAnIoError", List.of(
                data(out -> { out.writeUTF(""); out.writeBoolean(false); out.writeUTF(""); out.writeByte(0);
                    out.writeInt(callable.length); out.write(callable); }),
                data(out -> { out.writeUTF("k1"); out.writeBoolean(true); out.writeUTF("k1"); out.writeInt(1); out.writeUTF("a.B");
                    out.writeInt(3); out.write(new byte[] {1, 2, 3}); out.writeInt(1); out.writeUTF("a.B"); out.writeUTF("x");
                    out.writeInt(1); out.write(4); out.writeUTF("k0"); out.writeByte(0); out.writeInt(2); out.write(new byte[] {9, 9}); }),
                data(out -> { out.writeUTF(""); out.writeBoolean(false); out.writeUTF(""); out.writeByte(1); out.writeLong(7);
                    out.writeBoolean(true); out.writeInt(2); out.write(new byte[] {5, 6}); out.writeLong(0);
                    out.writeInt(items.length); out.write(items); }),
                data(out -> { out.writeUTF("k1"); out.writeBoolean(false); out.writeUTF(""); out.writeByte(1); out.writeLong(7);
                    out.writeBoolean(false); out.writeLong(3); out.writeInt(items.length); out.write(items); })));

        write("ipc/SharedQueueFuzzTestInputs/aDamagedQueueFailsWithADocumentedErrorAndNeverHangs",
                List.of("queue damage seed one".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    }

    static byte[] wireFrame(int type, long id, byte[] payload) {
        return ByteBuffer.allocate(20 + payload.length).put(new byte[] {(byte) 0xFF, 'W', 'B', 1}).putInt(type).putLong(id)
                .putInt(payload.length).put(payload).array();
    }

    static byte[] failure(Throwable failure) throws Exception {
        Method encode = Class.forName("dev.workbook.process.Failures").getDeclaredMethod("encode", Throwable.class);
        encode.setAccessible(true);
        return (byte[]) encode.invoke(null, failure);
    }

    interface Fields {
        void write(java.io.DataOutputStream out) throws IOException;
    }

    static byte[] data(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            fields.write(out);
        }
        return bytes.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static void write(String directory, List<byte[]> inputs) throws IOException {
        Path dir = RESOURCES.resolve(directory);
        Files.createDirectories(dir);
        for (int i = 0; i < inputs.size(); i++) {
            Files.write(dir.resolve("seed-" + i), inputs.get(i));
        }
    }
}
