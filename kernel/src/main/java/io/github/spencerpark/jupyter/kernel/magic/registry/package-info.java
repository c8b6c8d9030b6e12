/**
 * IJava's magics API for notebooks written for IJava: {@code getKernelInstance().getMagics()
 * .registerLineMagic("name", args -> ...)}, and classes of {@link io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic}-
 * and {@link io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic}-annotated methods. Magics
 * registered here land in the kernel's one registry, beside {@code %jars}, {@code %maven} and the rest.
 */
package io.github.spencerpark.jupyter.kernel.magic.registry;
