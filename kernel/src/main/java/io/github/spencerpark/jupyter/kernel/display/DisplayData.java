package io.github.spencerpark.jupyter.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;

/**
 * IJava's {@code DisplayData}: the base library's, which the kernel publishes, with the methods that take
 * IJava's {@link MIMEType}. Not thread-safe, like its base.
 */
public class DisplayData extends org.dflib.jjava.jupyter.kernel.display.DisplayData {

    public DisplayData() {
    }

    /** Display data holding {@code text} as {@code text/plain}. */
    public DisplayData(String text) {
        super(text);
    }

    /** A copy of {@code source}'s data, metadata and display id. */
    public DisplayData(org.dflib.jjava.jupyter.kernel.display.DisplayData source) {
        super(source);
    }

    public void putData(MIMEType type, Object data) {
        putData(type.toBaseType(), data);
    }

    public void putMetaData(MIMEType type, Object metadata) {
        putMetaData(type.toBaseType(), metadata);
    }

    public Object getData(MIMEType type) {
        return getData(type.toBaseType());
    }

    public boolean hasDataForType(MIMEType type) {
        return hasDataForType(type.toBaseType());
    }
}
