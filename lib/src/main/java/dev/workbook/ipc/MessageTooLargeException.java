package dev.workbook.ipc;

/**
 * A message does not fit: it is refused whole before anything is written, never truncated. The
 * message names the encoded size and the limit; raise the limit where the queue or connection is made,
 * or send less.
 */
public class MessageTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    public MessageTooLargeException(String what, long size, long limit, String remedy) {
        super(what + " is " + size + " bytes encoded, over the limit of " + limit + " bytes: " + remedy);
        this.size = size;
        this.limit = limit;
    }

    /** The encoded size of the message, in bytes. */
    public long size() {
        return size;
    }

    /** The largest encoded size accepted, in bytes. */
    public long limit() {
        return limit;
    }
}
