package dev.workbook.display;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;

/**
 * Teaches a Java Jupyter kernel (the workbook's, or JJava) to show the workbook's results: a Tablesaw
 * {@code Table} as an HTML table (and text), an XChart chart as a PNG image (and SVG on request, e.g.
 * {@code display(chart, "image/svg+xml")}).
 *
 * <p>Kernels find this class through {@code META-INF/services/org.dflib.jjava.jupyter.Extension} once the
 * lib jar is on the notebook's class path ({@code %jars ../lib/target/*.jar}).
 */
public final class WorkbookDisplayExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        registerRenderers(kernel.getRenderer());
    }

    /** Registers the renderers on {@code renderer}; what {@link #install} does, for use without a kernel. */
    public static void registerRenderers(Renderer renderer) {
        TableRendering.register(renderer);
        ChartRendering.register(renderer);
    }
}
