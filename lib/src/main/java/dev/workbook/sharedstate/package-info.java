/**
 * Shared mutable state between threads without a GIL, measured: what goes wrong when threads share a
 * plain {@code long}, an {@code ArrayList} or a {@code HashMap}, and what each of the JVM's tools
 * ({@code synchronized}, locks, atomics, {@code LongAdder}, concurrent collections, confinement)
 * costs under contention.
 *
 * <p>{@link dev.workbook.sharedstate.Contention} runs {@link dev.workbook.sharedstate.SharedStateStrategy
 * strategies} (made by {@link dev.workbook.sharedstate.SharedStateStrategies}) with N threads and
 * checks every count against the known total; {@link dev.workbook.sharedstate.CPythonSharedState} runs
 * the same experiment in CPython for comparison; {@link dev.workbook.sharedstate.CrossProcessCounter}
 * does it across child JVMs with a {@code SharedLong}; {@link dev.workbook.sharedstate.Visibility}
 * shows a write that another thread never sees, in a child JVM that is destroyed afterwards.
 * docs/shared-state.md tells the story.
 */
package dev.workbook.sharedstate;
