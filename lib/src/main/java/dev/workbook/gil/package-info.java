/**
 * A simulated global interpreter lock ({@link dev.workbook.gil.SimulatedGil}): one lock handed between
 * threads every 5 ms as CPython's is, with {@link dev.workbook.gil.Checkpoint}s where a computing thread
 * offers it up. With it a JVM thread pool reproduces CPython's one-core result; without it, the JVM's
 * threads use every core.
 *
 * <p>Notebook 02 and the {@code primes-threads --gil} alias show it at work.
 */
package dev.workbook.gil;
