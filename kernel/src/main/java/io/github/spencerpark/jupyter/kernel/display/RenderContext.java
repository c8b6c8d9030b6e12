package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * IJava's render context: what a render function is asked to produce (the requested MIME types, the
 * parameters) and where it puts it. It wraps the base library's context, which the kernel's renderer
 * makes, and takes IJava's {@link MIMEType} as well as the base library's. Confined to the rendering
 * thread, like its base.
 */
public class RenderContext extends org.dflib.jjava.jupyter.kernel.display.RenderContext {

    private final org.dflib.jjava.jupyter.kernel.display.RenderContext base;

    private RenderContext(org.dflib.jjava.jupyter.kernel.display.RenderContext base) {
        // The request types stay in the wrapped context: every method that reads them delegates to it.
        super(null, base.getRenderer(), base.getParams(), base.getOutputContainer());
        this.base = base;
    }

    /** {@code context} as IJava's type (itself when it already is one). */
    public static RenderContext of(org.dflib.jjava.jupyter.kernel.display.RenderContext context) {
        return context instanceof RenderContext ? (RenderContext) context : new RenderContext(context);
    }

    @Override
    public boolean wantsDataRenderedAs(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type) {
        return base.wantsDataRenderedAs(type);
    }

    public boolean wantsDataRenderedAs(MIMEType type) {
        return base.wantsDataRenderedAs(type.toBaseType());
    }

    @Override
    public org.dflib.jjava.jupyter.kernel.display.mime.MIMEType resolveRequestedType(
            org.dflib.jjava.jupyter.kernel.display.mime.MIMEType supported) {
        return base.resolveRequestedType(supported);
    }

    /** The requested type that {@code supported} satisfies, or null if none was requested. */
    public MIMEType resolveRequestedType(MIMEType supported) {
        org.dflib.jjava.jupyter.kernel.display.mime.MIMEType resolved = base.resolveRequestedType(supported.toBaseType());
        return resolved == null ? null : MIMEType.of(resolved);
    }

    @Override
    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type,
                                     BiConsumer<org.dflib.jjava.jupyter.kernel.display.mime.MIMEType,
                                             org.dflib.jjava.jupyter.kernel.display.DisplayData> render) {
        return base.renderIfRequested(type, render);
    }

    @Override
    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type,
                                     Function<org.dflib.jjava.jupyter.kernel.display.mime.MIMEType, Object> render) {
        return base.renderIfRequested(type, render);
    }

    @Override
    public boolean renderIfRequested(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType type, Supplier<Object> render) {
        return base.renderIfRequested(type, render);
    }

    /** Puts what {@code render} returns as {@code type} into the output, if {@code type} was requested. */
    public boolean renderIfRequested(MIMEType type, Supplier<Object> render) {
        return base.renderIfRequested(type.toBaseType(), render);
    }

    /** Like {@link #renderIfRequested(MIMEType, Supplier)}; {@code render} gets the requested type. */
    public boolean renderIfRequested(MIMEType type, Function<MIMEType, Object> render) {
        return base.renderIfRequested(type.toBaseType(),
                (org.dflib.jjava.jupyter.kernel.display.mime.MIMEType resolved) -> render.apply(MIMEType.of(resolved)));
    }

    /** Lets {@code render} put the data for the requested type into the output itself, if {@code type} was requested. */
    public boolean renderIfRequested(MIMEType type, BiConsumer<MIMEType, org.dflib.jjava.jupyter.kernel.display.DisplayData> render) {
        return base.renderIfRequested(type.toBaseType(),
                (org.dflib.jjava.jupyter.kernel.display.mime.MIMEType resolved,
                 org.dflib.jjava.jupyter.kernel.display.DisplayData out) -> render.accept(MIMEType.of(resolved), out));
    }
}
