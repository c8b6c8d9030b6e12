package io.github.spencerpark.jupyter.kernel.magic.registry;

import java.util.List;

/** IJava's line magic: what {@code %name arg1 arg2} does, given the arguments split as a shell would. */
@FunctionalInterface
public interface LineMagicFunction<T> {
    T execute(List<String> args) throws Exception;
}
