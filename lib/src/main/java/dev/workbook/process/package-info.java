/**
 * Processes on the JVM: child JVMs that run a serializable function ({@link dev.workbook.process.ChildProcess},
 * Python's {@code multiprocessing.Process}), a pool of warm worker JVMs ({@link dev.workbook.process.ProcessPool},
 * Python's {@code ProcessPoolExecutor}), and other programs ({@link dev.workbook.process.Subprocess}). The JVM
 * cannot fork, so a child is a fresh JVM, or a spare one booted ahead of time
 * ({@link dev.workbook.process.StartMethod}: CPython's {@code spawn} and {@code forkserver}), that receives its
 * work serialized, with the classes a notebook cell defined shipped along.
 *
 * <p>How the parts fit: {@code Packer} serializes what travels and finds the classes the child lacks;
 * {@code ChildJvm} launches the child or takes a spare from {@code Spares} (which {@code SpareWarmUp} warmed);
 * {@code ClassDataArchive} keeps the children's CDS archive or AOT cache; {@code Wire} carries frames over the child's standard input and
 * output; {@code WorkerProtocol} owns the messages inside the frames, both sides of each; {@code ChildMain}
 * is the child's side. In the pool, {@code WorkerHoldings} is the parent's record of what each worker
 * holds, and {@code ChunkedMap} is one call of {@code map}.
 *
 * <p>The user's guide, with the lifetime, failure and interruption rules and what start-up costs, is
 * {@code docs/processes.md}.
 */
package dev.workbook.process;
