/**
 * The experiment harness: a {@link dev.workbook.experiment.Workload} run under each
 * {@link dev.workbook.experiment.Strategy} (sequential, threads, threads under the simulated GIL, a
 * process pool, parallel streams, virtual threads) for a range of worker counts, timed and repeated by
 * {@link dev.workbook.experiment.Experiment}, summarised by {@link dev.workbook.experiment.ExperimentResult}
 * as Tablesaw tables, and drawn by {@link dev.workbook.experiment.ExperimentCharts}. Each timed run also records
 * a {@link dev.workbook.experiment.Timeline}: which worker ran each task, when, and who held a simulated GIL.
 *
 * <p>It measures with {@code dev.workbook.measure} and draws and saves with {@code dev.workbook.report};
 * neither of those depends on this package. How to use it: the README's "The library" section; the
 * benchmarks module's {@code PrimesBenchmark} checks its speed targets.
 */
package dev.workbook.experiment;
