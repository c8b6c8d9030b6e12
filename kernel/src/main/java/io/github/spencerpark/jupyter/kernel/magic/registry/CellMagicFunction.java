package io.github.spencerpark.jupyter.kernel.magic.registry;

import java.util.List;

/** IJava's cell magic: what a cell starting with {@code %%name args} does with the arguments and the rest of the cell. */
@FunctionalInterface
public interface CellMagicFunction<T> {
    T execute(List<String> args, String body) throws Exception;
}
