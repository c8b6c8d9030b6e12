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

    /** The kernel this extension was last installed into: where {@link LiveProgress#inNotebook} shows. */
    private static volatile BaseKernel kernel;

    @Override
    public void install(BaseKernel kernel) {
        registerRenderers(kernel.getRenderer());
        WorkbookDisplayExtension.kernel = kernel;
    }

    /**
     * The kernel the extension is installed in.
     *
     * @throws IllegalStateException outside a notebook (no kernel installed the extension)
     */
    static BaseKernel kernel() {
        BaseKernel installed = kernel;
        if (installed == null) {
            throw new IllegalStateException("no Jupyter kernel has loaded the workbook's display extension: live"
                    + " progress needs a notebook; elsewhere use Progress.lines() or Progress.bar()");
        }
        return installed;
    }

    /**
     * Registers the renderers on {@code renderer} for the libraries on the class path (Tablesaw, XChart);
     * what {@link #install} does, for use without a kernel.
     *
     * @throws IllegalStateException if neither library is there yet, so that a kernel tries again when
     *                               more jars arrive (a notebook often adds lib's jar before its dependencies)
     */
    public static void registerRenderers(Renderer renderer) {
        // Look before touching a renderer class: a class whose reference to Table failed to resolve once
        // keeps failing, even after Tablesaw is added.
        boolean tables = present("tech.tablesaw.api.Table");
        boolean charts = present("org.knowm.xchart.internal.chartpart.Chart");
        if (!tables && !charts) {
            throw new IllegalStateException("neither Tablesaw nor XChart is on the class path yet;"
                    + " add lib's dependencies, e.g. %jars ../lib/target/dependency/*.jar");
        }
        if (tables) {
            TableRendering.register(renderer);
        }
        if (charts) {
            ChartRendering.register(renderer);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, WorkbookDisplayExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
