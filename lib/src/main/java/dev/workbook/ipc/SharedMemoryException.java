package dev.workbook.ipc;

/**
 * A shared-memory region could not be created, attached or used: the name is taken or missing, the
 * region has the wrong size, version or kind, or the file system refused. The message names the region
 * and says what to do.
 */
public class SharedMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SharedMemoryException(String message) {
        super(message);
    }

    public SharedMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
