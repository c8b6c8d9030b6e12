package dev.workbook.process;

import java.util.Objects;

/**
 * Who a process is: the name the workbook gave it and its operating-system pid. In the JVM that was
 * not started by this library the name is {@value Processes#MAIN_PROCESS_NAME}, as in Python.
 *
 * @param name the process name, such as {@code Process-1} or {@code MainProcess}
 * @param pid  the operating-system process id
 */
public record ProcessInfo(String name, long pid) {

    public ProcessInfo {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
