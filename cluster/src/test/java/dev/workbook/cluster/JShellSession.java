package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * A JShell that evaluates snippets as the notebook kernel does: in this JVM and in the calling thread ({@link InCallerThread}), so that
 * the classes of its snippets exist only in JShell's class loader, with this JVM's class path added.
 */
final class JShellSession implements AutoCloseable {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final JShell jshell;

    JShellSession() {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        jshell = InCallerThread.jshell().out(out).err(out).build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            jshell.addToClasspath(entry);
        }
    }

    /** Evaluates one snippet; returns its value, failing the test on a rejected snippet or an exception. */
    String eval(String code) {
        String value = null;
        for (SnippetEvent event : jshell.eval(code)) {
            if (event.status() == Snippet.Status.REJECTED) {
                fail("JShell rejected: " + code + "\n" + jshell.diagnostics(event.snippet())
                        .map(diagnostic -> diagnostic.getMessage(null)).toList());
            }
            if (event.exception() != null) {
                fail("JShell threw evaluating: " + code + "\n" + output.toString(StandardCharsets.UTF_8), event.exception());
            }
            if (event.causeSnippet() == null) {
                value = event.value();
            }
        }
        return value;
    }

    @Override
    public void close() {
        jshell.close();
    }
}
