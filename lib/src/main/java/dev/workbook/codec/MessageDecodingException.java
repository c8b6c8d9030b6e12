package dev.workbook.codec;

/**
 * Bytes could not be turned back into a value: they are cut short, damaged or hostile (the message
 * says what was wrong and where), a class they name is missing in this process, a stream is over a
 * {@link MessageCodec} limit, or ({@link MessageRejectedException}) it names a class the policy does
 * not allow. A queue or connection has taken the message off all the same: the next one flows.
 */
public class MessageDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessageDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
