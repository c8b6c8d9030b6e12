package dev.workbook.process;

/**
 * A pool call packed and ready to queue: a serialized {@link SerializableCallable} if
 * {@code function} is null, else the encoded items of a {@code map} chunk that {@code function}
 * applies to. Immutable; lives in the parent only.
 *
 * @param bytes       the serialized callable, or the chunk's items ({@link MessageCodec#encodeList})
 * @param bundle      the classes the call needs that the workers' class path lacks
 * @param resolver    the loader that resolves the classes of the call's result or failure
 * @param description what the call is, for messages: "a task", "a map call"
 * @param function    the map function the items go to, or null for a callable
 */
record PackedCall(byte[] bytes, ClassBundle bundle, ClassLoader resolver, String description, Function function) {

    /** The function of one {@code map} call, serialized once; each worker gets its bytes once. */
    record Function(long id, byte[] bytes, ClassBundle bundle) {
    }
}
