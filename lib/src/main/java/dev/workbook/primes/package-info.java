/**
 * The workloads: primality by trial division (the lesson's algorithm, kept as the reference), by the
 * 6k±1 wheel and by deterministic Miller–Rabin ({@link dev.workbook.primes.Primality},
 * {@link dev.workbook.primes.PrimalityTest}), and the lesson's numbers with generators of bigger
 * workloads ({@link dev.workbook.primes.PrimeNumbers}). Pure computation: no threads, no I/O.
 *
 * <p>Notebook 05 compares the algorithms; the README's package table says how they differ from the lesson's.
 */
package dev.workbook.primes;
