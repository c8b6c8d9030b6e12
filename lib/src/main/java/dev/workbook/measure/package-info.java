/**
 * What a measurement reads from the machine: CPU time of this JVM and its children as {@code time}
 * counts it ({@link dev.workbook.measure.CpuClock}, {@link dev.workbook.measure.ShellTime}), a
 * process's resident memory ({@link dev.workbook.measure.ResidentMemory}), the machine's facts
 * ({@link dev.workbook.measure.MachineFacts}), and the CPython that runs the lesson's Python programs
 * ({@link dev.workbook.measure.CPython}).
 *
 * <p>Depends on nothing else of the workbook but {@code dev.workbook.process.Subprocess}. Linux is
 * the tested platform: the figures come from {@code /proc}, with JVM fallbacks elsewhere.
 */
package dev.workbook.measure;
