package dev.workbook.kernel;

import dev.workbook.kernel.install.ClassDataRecording;
import dev.workbook.kernel.install.KernelInstaller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kernel jar's entry point.
 * <pre>
 *   KernelMain CONNECTION_FILE        run a kernel (what kernel.json's argv does)
 *   KernelMain install [options]      install the kernelspec (see {@code install --help})
 *   KernelMain --record-class-data CONNECTION_FILE
 *                                     start, evaluate typical cells, exit: what the installer records
 *                                     the kernel's class-data archive from
 * </pre>
 */
public final class KernelMain {

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && ("install".equals(args[0]) || "--uninstall".equals(args[0]))) {
            String[] rest = "install".equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
            System.exit(KernelInstaller.run(rest));
        }
        KernelLauncher.Mode mode = KernelLauncher.Mode.SERVE;
        if (args.length == 2 && ClassDataRecording.ARGUMENT.equals(args[0])) {
            mode = KernelLauncher.Mode.RECORD_CLASS_DATA;
            args = new String[]{args[1]};
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: KernelMain CONNECTION_FILE   (run a kernel; Jupyter passes the file)");
            System.err.println("       KernelMain install [--help]  (install the kernelspec)");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            System.err.println("The connection file " + connectionFile.toAbsolutePath() + " does not exist.");
            System.exit(2);
        }
        KernelConfig config = KernelConfig.from(System.getenv());
        if (mode == KernelLauncher.Mode.SERVE && KernelJvm.needed(config)) {
            System.exit(KernelJvm.launch(config, args, System.err));
        }
        KernelLauncher.run(connectionFile, config, mode);
    }
}
