package dev.workbook.kernel.exec;

/**
 * Stands in for {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in user code: in a
 * notebook those would kill the kernel and every variable with it. Like Python's {@code sys.exit} in
 * IPython, the call ends the cell with an error instead. {@link StopInstrumenter} rewrites the call sites.
 */
public final class SystemExitTrap {

    private SystemExitTrap() {
    }

    /** Replaces {@code System.exit(status)}. */
    public static void exit(int status) {
        throw new ExitRequestedError(status);
    }

    /** Replaces {@code runtime.exit(status)}. */
    public static void exit(Runtime runtime, int status) {
        throw new ExitRequestedError(status);
    }

    /** Replaces {@code runtime.halt(status)}. */
    public static void halt(Runtime runtime, int status) {
        throw new ExitRequestedError(status);
    }

    /** What a trapped exit throws. */
    public static final class ExitRequestedError extends Error {
        private static final long serialVersionUID = 1L;

        ExitRequestedError(int status) {
            super("System.exit(" + status + ") would end the kernel, so the cell stops here instead;"
                    + " restart the kernel to start afresh");
        }
    }
}
