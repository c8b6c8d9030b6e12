package dev.workbook.process;

import java.time.Duration;
import java.util.List;

/**
 * What a program run by {@link Subprocess#run()} did: Python's {@code subprocess.CompletedProcess}.
 *
 * @param command  the command line
 * @param exitCode its exit code; {@code -N} if signal N ended it (see {@link ChildProcess#exitCode()})
 * @param stdout   everything it wrote to standard output
 * @param stderr   everything it wrote to standard error
 * @param elapsed  from start to exit
 */
public record CompletedProcess(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public CompletedProcess {
        command = List.copyOf(command);
    }

    /**
     * Returns this if the exit code is 0; Python's {@code check_returncode()}.
     *
     * @throws SubprocessException if it is not, with the exit code and the end of standard error
     */
    public CompletedProcess checkExitCode() throws SubprocessException {
        if (exitCode != 0) {
            throw new SubprocessException(String.join(" ", command) + " " + ExitStatus.describe(exitCode)
                    + (stderr.isBlank() ? "" : "; standard error ends with:\n" + tail(stderr)), this);
        }
        return this;
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
    }
}
