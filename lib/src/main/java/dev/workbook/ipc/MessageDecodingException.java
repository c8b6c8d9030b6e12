package dev.workbook.ipc;

/**
 * A message arrived but could not be turned back into an object: its class is missing in this process,
 * its bytes are damaged, or ({@link MessageRejectedException}) its class is not on the allow-list. The
 * message has been taken off the queue or connection all the same.
 */
public class MessageDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessageDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
