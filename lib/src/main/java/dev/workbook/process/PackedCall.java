package dev.workbook.process;

/**
 * A pool call packed and ready to queue: a serialized {@link SerializableCallable} if
 * {@code function} is null; the encoded items of a {@code map} chunk that {@code function} applies
 * to; or, if {@code bytes} is null, a stateless callable that the workers keep as {@code function}
 * and call again (see {@link ProcessPool#submit(SerializableCallable)}). Immutable; lives in the
 * parent only.
 *
 * @param bytes       the serialized callable, the chunk's items ({@link MessageCodec#encodeList}), or
 *                    null for a held callable
 * @param bundle      the classes the call needs that the workers' class path lacks
 * @param resolver    the loader that resolves the classes of the call's result or failure
 * @param description what the call is, for messages: "a task", "a map call"
 * @param function    the map function the items go to, or null for a callable
 */
record PackedCall(byte[] bytes, ClassBundle bundle, ClassLoader resolver, String description, Function function) {

    /**
     * The function of one {@code map} call, or a held callable, serialized once; each worker gets its
     * bytes once.
     */
    record Function(long id, byte[] bytes, ClassBundle bundle) {
    }

    /** Whether the workers call a callable they hold rather than one in the frame. */
    boolean isHeldCallable() {
        return bytes == null;
    }
}
