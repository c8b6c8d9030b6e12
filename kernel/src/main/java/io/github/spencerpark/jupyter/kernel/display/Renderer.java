package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

/**
 * The kernel's renderer, with IJava's registration API: {@code createRegistration(Foo.class)
 * .preferring(MIMEType.TEXT_HTML).register((foo, ctx) -> ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html))}
 * compiles and works whether {@code MIMEType} is IJava's or the base library's. It is the base library's
 * renderer (extensions and JJava-style code use it as that); registrations are thread-safe as far as the
 * base library's are.
 */
public class Renderer extends org.dflib.jjava.jupyter.kernel.display.Renderer {

    @Override
    public <T> RenderRegistration<T> createRegistration(Class<T> type) {
        return new RenderRegistration<>(type);
    }

    /**
     * A registration being built: the types it applies to, the MIME types it supports and prefers, then
     * {@link #register} with the render function.
     */
    public class RenderRegistration<T> extends org.dflib.jjava.jupyter.kernel.display.Renderer.RenderRegistration<T> {

        public RenderRegistration(Class<? extends T> type) {
            super(type);
        }

        @Override
        public RenderRegistration<T> supporting(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType... types) {
            super.supporting(types);
            return this;
        }

        public RenderRegistration<T> supporting(MIMEType... types) {
            return supporting(MIMEType.toBaseTypes(types));
        }

        @Override
        public RenderRegistration<T> supporting(String... types) {
            super.supporting(types);
            return this;
        }

        @Override
        public RenderRegistration<T> preferring(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType... types) {
            super.preferring(types);
            return this;
        }

        public RenderRegistration<T> preferring(MIMEType... types) {
            return preferring(MIMEType.toBaseTypes(types));
        }

        @Override
        public RenderRegistration<T> preferring(String... types) {
            super.preferring(types);
            return this;
        }

        @Override
        public RenderRegistration<T> onType(Class<? extends T> type) {
            super.onType(type);
            return this;
        }

        /**
         * Registers {@code function} for the registration's types. A lambda lands here rather than in the
         * base library's {@code register}, so its context parameter is IJava's {@link RenderContext}.
         */
        public void register(RenderFunction<T> function) {
            super.register(function);
        }
    }
}
