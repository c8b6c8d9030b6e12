/**
 * The one value codec of the workbook: how every value that crosses a process boundary (a queue or
 * connection message, a pool call's items and result, a task, an exception) becomes bytes and back,
 * and the policy that decides which classes the receiving side may build from them.
 *
 * <p>It sits below {@code dev.workbook.ipc} and {@code dev.workbook.process} and depends on neither:
 * transports carry its bytes without looking inside. {@link dev.workbook.codec.MessageCodec#defaults()}
 * is for bytes from anyone (an explicit allow-list of side-effect-free JDK classes, with bounds on the
 * work a stream may cause); {@link dev.workbook.codec.MessageCodec#trusting(ClassLoader)} is for a
 * process pool's own workers. Decoding fails only with
 * {@link dev.workbook.codec.MessageDecodingException}, whatever the bytes.
 */
package dev.workbook.codec;
