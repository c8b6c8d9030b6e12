package dev.workbook.process;

/**
 * How a child ended, in Python's terms: an exit code, or a negative signal number when a signal
 * ended it.
 *
 * <p>{@link Process#exitValue()} cannot tell the two apart: on Linux and macOS the JDK reports a
 * death by signal N as status 128 + N, which is also what a JVM exits with after handling SIGTERM,
 * SIGINT or SIGHUP by running its shutdown hooks. So, as a shell does, a status from 129 to 159 is
 * read as signal 1 to 31. A program that exits with such a status on purpose is misread; exit codes
 * up to 128 and from 160 are reported as they are.
 */
final class ExitStatus {

    private static final String[] SIGNAL_NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };

    private ExitStatus() {
    }

    /** The exit code as Python reports it: {@code -N} for a death by signal N, else the status. */
    static int exitCode(int status) {
        if (status > 128 && status < 128 + SIGNAL_NAMES.length) {
            return -(status - 128);
        }
        return status;
    }

    /** Says how a process with this Python-style exit code ended, for messages. */
    static String describe(int exitCode) {
        if (exitCode < 0) {
            int signal = -exitCode;
            String name = signal < SIGNAL_NAMES.length ? SIGNAL_NAMES[signal] : "signal " + signal;
            return "was killed by " + name + " (exit code " + exitCode + ")";
        }
        return "exited with code " + exitCode;
    }
}
