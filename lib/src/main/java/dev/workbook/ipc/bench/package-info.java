/**
 * How fast this machine moves messages between processes: the measuring loops
 * ({@link dev.workbook.ipc.bench.IpcProbes}), shared by the quick pass for scripts and notebooks
 * ({@link dev.workbook.ipc.bench.IpcBench}) and the benchmarks module's full {@code IpcBenchmark};
 * their one result record ({@link dev.workbook.ipc.bench.IpcResult}); CPython's side
 * ({@code ipc_bench.py}, a resource here); and core pinning with {@code taskset}.
 *
 * <p>What is measured and the figures: docs/ipc.md, section "Benchmark".
 */
package dev.workbook.ipc.bench;
