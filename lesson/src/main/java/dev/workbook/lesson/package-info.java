/**
 * The Python lesson's programs, rebuilt on the library: creating processes
 * ({@link dev.workbook.lesson.CreateProcessExample}), what the JVM does instead of {@code fork}
 * ({@link dev.workbook.lesson.ForkExample}), the broken global counter
 * ({@link dev.workbook.lesson.BrokenCounter}) and the queue ping-pong ({@link dev.workbook.lesson.PingPong}).
 *
 * <p>Kept out of the library's jar (module {@code lesson}): the JBang scripts, the tests and the
 * readers run them. See docs/processes.md ("Examples") and docs/ipc.md.
 */
package dev.workbook.lesson;
