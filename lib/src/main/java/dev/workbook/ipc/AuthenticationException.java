package dev.workbook.ipc;

import java.io.IOException;

/**
 * The two ends of a {@link Listener}/{@link Client} connection do not share the same key (or the peer
 * does not speak the protocol). The connection is closed; nothing was sent or received on it.
 */
public class AuthenticationException extends IOException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
