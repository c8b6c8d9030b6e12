package io.github.spencerpark.jupyter.kernel.display;

/**
 * IJava's render function: fills a {@link RenderContext}'s output for one value. A lambda
 * {@code (value, ctx) -> ...} passed to a registration becomes one of these, so {@code ctx} takes IJava's
 * and the base library's MIME types alike.
 *
 * <p>It is a base library {@code RenderFunction} too: the kernel's renderer calls it with its own
 * context, which is wrapped on the way in.
 */
@FunctionalInterface
public interface RenderFunction<T> extends org.dflib.jjava.jupyter.kernel.display.RenderFunction<T> {

    void render(T value, RenderContext context);

    @Override
    default void render(T value, org.dflib.jjava.jupyter.kernel.display.RenderContext context) {
        render(value, RenderContext.of(context));
    }
}
