package dev.workbook.kernel.output;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;

import java.nio.charset.StandardCharsets;

/**
 * The base library's {@link JupyterIO}, permanently attached to the {@link OutputRouter}. Notebook code and
 * extensions written for JJava call {@code kernel.getIO().display.display(...)},
 * {@code updateDisplay(...)} or print to {@code kernel.getIO().out}; here those reach the right cell from
 * any thread, at any time, instead of only while the base library's handler runs a request.
 */
public final class RoutedJupyterIO extends JupyterIO {

    public RoutedJupyterIO(OutputRouter router) {
        super(StandardCharsets.UTF_8);
        setEnv(new RoutingEnvironment(router));
    }

    /** A reply environment whose publishing goes through the router; it has no shell or stdin socket. */
    private static final class RoutingEnvironment extends ShellReplyEnvironment {
        private final OutputRouter router;

        RoutingEnvironment(OutputRouter router) {
            super(null, null, null, null);
            this.router = router;
        }

        @Override
        public void publish(Message<?> message) {
            router.publish(message.getHeader().getType(), message.getContent());
        }

        @Override
        public <T extends ContentType<T>> void publish(T content) {
            router.publish(content);
        }

        @Override
        public String readFromStdIn(String prompt, boolean isPassword) {
            return "";
        }
    }
}
