package dev.workbook.codec;

import java.util.List;

/**
 * A received message would deserialize a class that the receiver's {@link MessageCodec} does not allow.
 * Nothing of that class was constructed: the filter refuses it before any of its code runs. This is
 * what stops a process from being made to deserialize arbitrary classes.
 */
public class MessageRejectedException extends MessageDecodingException {

    private static final long serialVersionUID = 1L;

    private final String rejectedClass;

    public MessageRejectedException(String rejectedClass, List<String> allowList, Throwable cause) {
        super("refused to deserialize class " + rejectedClass + ": it is not on the allow-list " + allowList
                + "; if the sender is trusted, allow it with MessageCodec.defaults().allowing(\""
                + rejectedClass + "\") where the queue or connection is opened", cause);
        this.rejectedClass = rejectedClass;
    }

    /** The class name the filter refused. */
    public String rejectedClass() {
        return rejectedClass;
    }
}
