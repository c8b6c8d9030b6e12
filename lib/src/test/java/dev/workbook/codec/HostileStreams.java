package dev.workbook.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;

/**
 * Streams of allowed classes only that still make a receiver work without bound, for the tests and
 * for measuring what they cost: {@code java -cp ... dev.workbook.codec.HostileStreams [levels]}
 * prints the size of the nested-sets message and the CPU time the default codec spends on it.
 */
public final class HostileStreams {

    private HostileStreams() {
    }

    /**
     * The codec's bytes of sets nested {@code levels} deep, each level holding two sets that both hold
     * the same two sets of the next level: a few bytes per level (the stream shares them), but
     * {@code hashCode}, which a HashSet computes for each member as it is read back, visits 2^levels
     * sets.
     */
    public static byte[] nestedSets(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> left = root;
        Set<Object> right = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> nextLeft = new HashSet<>();
            Set<Object> nextRight = new HashSet<>();
            nextLeft.add("x"); // keeps the two sets of a level unequal, so both stay in their parents
            left.add(nextLeft);
            left.add(nextRight);
            right.add(nextLeft);
            right.add(nextRight);
            left = nextLeft;
            right = nextRight;
        }
        return withTag(root);
    }

    /** The codec's bytes of a serialized value, however the codec itself would write it. */
    public static byte[] withTag(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(MessageCodec.JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static void main(String[] args) {
        int levels = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        byte[] message = nestedSets(levels);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        String outcome;
        try {
            MessageCodec.defaults().decode(message);
            outcome = "decoded";
        } catch (MessageDecodingException e) {
            outcome = "refused: " + e.getMessage();
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        System.out.printf("nested sets, %d levels, %d bytes: %.1f ms of CPU, %s%n", levels, message.length, cpu / 1e6, outcome);
    }
}
