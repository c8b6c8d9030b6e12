package dev.workbook.ipc;

/**
 * What a region holds, recorded in its header so that attaching a region as the wrong primitive (a
 * queue's region as a counter, say) fails with a clear error instead of misreading memory.
 */
enum RegionKind {
    RAW(1, "SharedMemory"),
    LONG(2, "SharedLong"),
    LONG_ARRAY(3, "SharedLongArray"),
    LOCK(4, "SharedLock"),
    EVENT(5, "SharedEvent"),
    SEMAPHORE(6, "SharedSemaphore"),
    QUEUE(7, "SharedQueue");

    final int code;
    final String typeName;

    RegionKind(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    static RegionKind ofCode(int code) {
        for (RegionKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }

    /** The short prefix of generated names, e.g. {@code "queue"}. */
    String namePrefix() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
