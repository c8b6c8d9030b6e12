package dev.workbook.cluster;

/**
 * No member of the cluster could be reached in time, or the members a pool relies on are all gone.
 * The message names the cluster, the addresses tried and what to check.
 */
public class ClusterUnreachableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
