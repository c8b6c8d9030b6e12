package io.github.spencerpark.jupyter.kernel.display.mime;

import java.util.Objects;

/**
 * A MIME type with IJava's name, for notebooks written for IJava
 * ({@code ctx.renderIfRequested(MIMEType.TEXT_HTML, ...)}). The kernel renders with the base library's
 * {@link org.dflib.jjava.jupyter.kernel.display.mime.MIMEType}; this is a value that converts to it
 * ({@link #toBaseType()}), and the kernel's renderer API takes either.
 *
 * <p>Not a subclass of the base library's type on purpose: that type's {@code equals} compares classes,
 * so a subclass instance would never match the types a front end asks for. Immutable.
 */
public final class MIMEType {

    public static final MIMEType ANY = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.ANY);
    public static final MIMEType APPLICATION_XML = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.APPLICATION_XML);
    public static final MIMEType APPLICATION_JSON = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.APPLICATION_JSON);
    public static final MIMEType APPLICATION_JAVASCRIPT = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.APPLICATION_JAVASCRIPT);
    public static final MIMEType APPLICATION_PDF = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.APPLICATION_PDF);
    public static final MIMEType TEXT_HTML = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML);
    public static final MIMEType TEXT_MARKDOWN = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_MARKDOWN);
    public static final MIMEType TEXT_LATEX = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_LATEX);
    public static final MIMEType TEXT_PLAIN = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
    public static final MIMEType TEXT_CSS = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_CSS);
    public static final MIMEType IMAGE_PNG = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG);
    public static final MIMEType IMAGE_JPEG = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_JPEG);
    public static final MIMEType IMAGE_GIF = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_GIF);
    public static final MIMEType IMAGE_SVG = of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_SVG);

    private final org.dflib.jjava.jupyter.kernel.display.mime.MIMEType base;

    private MIMEType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** The IJava-named twin of a base library MIME type. */
    public static MIMEType of(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType base) {
        return new MIMEType(base);
    }

    /**
     * Parses {@code "group/tree.subtype+suffix"}, e.g. {@code "text/html"} or {@code "image/*"}.
     *
     * @throws IllegalArgumentException naming the text when it is not a MIME type
     */
    public static MIMEType parse(String type) {
        try {
            return new MIMEType(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.parse(type));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + type + "' is not a MIME type (group/subtype, e.g. text/html)", e);
        }
    }

    /** The base library's type, which the kernel's renderer works with. */
    public org.dflib.jjava.jupyter.kernel.display.mime.MIMEType toBaseType() {
        return base;
    }

    /** The base library's types of {@code types}, in order. */
    public static org.dflib.jjava.jupyter.kernel.display.mime.MIMEType[] toBaseTypes(MIMEType... types) {
        org.dflib.jjava.jupyter.kernel.display.mime.MIMEType[] converted =
                new org.dflib.jjava.jupyter.kernel.display.mime.MIMEType[types.length];
        for (int i = 0; i < types.length; i++) {
            converted[i] = types[i].base;
        }
        return converted;
    }

    public String getGroup() {
        return base.getGroup();
    }

    public String getTree() {
        return base.getTree();
    }

    public String getSubtype() {
        return base.getSubtype();
    }

    public String getSuffix() {
        return base.getSuffix();
    }

    public boolean isWildcard() {
        return base.isWildcard();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MIMEType && base.equals(((MIMEType) other).base);
    }

    @Override
    public int hashCode() {
        return base.hashCode();
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
