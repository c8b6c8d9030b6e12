package dev.workbook.kernel;

import dev.workbook.kernel.magic.MagicException;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;

import java.util.List;
import java.util.UUID;

/**
 * The functions every cell can call without a prefix (the kernel imports them statically at start-up),
 * with the names and signatures of IJava and JJava:
 * {@code display}, {@code render}, {@code updateDisplay}, {@code eval}, {@code printf},
 * {@code lineMagic}, {@code cellMagic}, {@code comms}, and the kernel as {@code getKernelInstance()} (IJava) or
 * {@code kernel()} (JJava).
 */
public final class Notebook {

    private Notebook() {
    }

    /** The running kernel (IJava's name). */
    public static WorkbookKernel getKernelInstance() {
        return WorkbookKernel.current();
    }

    /** The running kernel (JJava's name). */
    public static WorkbookKernel kernel() {
        return WorkbookKernel.current();
    }

    /** The kernel's comms, with data as maps and lists: {@code comms().open("target", Map.of(...))}. */
    public static dev.workbook.kernel.comm.NotebookComms comms() {
        return dev.workbook.kernel.comm.NotebookComms.of(kernel().getCommManager());
    }

    /** Renders {@code value} the way a cell's result is rendered (an image as PNG, a table as HTML...). */
    public static DisplayData render(Object value) {
        return value instanceof DisplayData ? (DisplayData) value : kernel().getRenderer().render(value);
    }

    /** Renders {@code value} as the given MIME types, e.g. {@code render(html, "text/html")}. */
    public static DisplayData render(Object value, String... mimeTypes) {
        return kernel().getRenderer().renderAs(value, mimeTypes);
    }

    /** Shows {@code value} in the cell now; returns the display id, for {@link #updateDisplay}. */
    public static String display(Object value) {
        return show(render(value));
    }

    /** Shows {@code value} rendered as the given MIME types; returns the display id. */
    public static String display(Object value, String... mimeTypes) {
        return show(render(value, mimeTypes));
    }

    private static String show(DisplayData data) {
        String id = data.getDisplayId();
        if (id == null) {
            id = UUID.randomUUID().toString();
            data.setDisplayId(id);
        }
        kernel().display(data);
        dev.workbook.kernel.exec.CellRun run = dev.workbook.kernel.exec.CellRun.of(Thread.currentThread());
        if (run != null) {
            run.recordDisplayed(id); // so that display(x) as a cell's last line does not also show the id
        }
        return id;
    }

    /** Replaces what the display {@code id} shows with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        kernel().getIO().display.updateDisplay(id, render(value));
    }

    /** Replaces what the display {@code id} shows with {@code value} rendered as the given MIME types. */
    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        kernel().getIO().display.updateDisplay(id, render(value, mimeTypes));
    }

    /** Evaluates code (magics included) in the notebook's scope; returns its last expression's value, or null. */
    public static Object eval(String code) {
        return kernel().evalRaw(code);
    }

    /** {@code System.out.printf}, as IJava defines it. */
    public static void printf(String format, Object... args) {
        System.out.printf(format, args);
    }

    /** Runs the line magic {@code name}: what {@code %name args} does. */
    public static <T> T lineMagic(String name, List<String> args) {
        WorkbookKernel kernel = kernel();
        try {
            return kernel.getMagicsRegistry().evalLineMagic(kernel, name, args);
        } catch (UndefinedMagicException e) {
            throw new MagicException("%" + name + " is not a magic; %lsmagic lists them");
        } catch (MagicException e) {
            throw e;
        } catch (Exception e) {
            throw new MagicException("%" + name + ": " + e, e);
        }
    }

    /** Runs the cell magic {@code name} on {@code body}: what a cell starting with {@code %%name args} does. */
    public static <T> T cellMagic(String name, List<String> args, String body) {
        WorkbookKernel kernel = kernel();
        try {
            return kernel.getMagicsRegistry().evalCellMagic(kernel, name, args, body);
        } catch (UndefinedMagicException e) {
            throw new MagicException("%%" + name + " is not a cell magic; %lsmagic lists them");
        } catch (MagicException e) {
            throw e;
        } catch (Exception e) {
            throw new MagicException("%%" + name + ": " + e, e);
        }
    }
}
