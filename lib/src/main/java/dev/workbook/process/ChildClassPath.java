package dev.workbook.process;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path of a child JVM: this JVM's {@code java.class.path} plus every directory and jar of
 * the {@link URLClassLoader}s that loaded the code being sent.
 *
 * <p>{@code java.class.path} alone is not enough in a notebook: the kernel runs cells through JShell
 * in its own JVM, and {@code %jars} or {@code %classpath} add jars to JShell's class loader (a
 * {@code URLClassLoader}), not to the system class path. Classes that exist only in a loader's memory
 * (JShell's snippet classes) are not on any path; {@link #canLoad} tells the {@link Packer} which
 * classes it must ship as bytes.
 *
 * <p>Immutable and thread-safe.
 */
final class ChildClassPath {

    private static volatile ChildClassPath last;

    private final List<String> entries;
    private volatile URLClassLoader lookup;

    private ChildClassPath(List<String> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * The class path that makes the classes of these loaders, of the current thread's context loader
     * and of this library loadable in a child.
     */
    static ChildClassPath forLoaders(Collection<ClassLoader> loaders) {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        Set<ClassLoader> all = new LinkedHashSet<>(loaders);
        all.add(Thread.currentThread().getContextClassLoader());
        all.add(ChildClassPath.class.getClassLoader());
        for (ClassLoader loader : all) {
            for (ClassLoader level = loader; level != null; level = level.getParent()) {
                if (level instanceof URLClassLoader urls) {
                    for (URL url : urls.getURLs()) {
                        if ("file".equals(url.getProtocol())) {
                            try {
                                entries.add(Path.of(url.toURI()).toString());
                            } catch (URISyntaxException | IllegalArgumentException e) {
                                // not a plain file URL: a child could not use it anyway
                            }
                        }
                    }
                }
            }
        }
        List<String> list = new ArrayList<>(entries);
        ChildClassPath cached = last;
        if (cached != null && cached.entries.equals(list)) {
            return cached; // keeps its lookup loader, whose jars are already open
        }
        ChildClassPath fresh = new ChildClassPath(list);
        last = fresh;
        return fresh;
    }

    /** A class path of exactly these entries. */
    static ChildClassPath of(List<String> entries) {
        return new ChildClassPath(entries);
    }

    List<String> entries() {
        return entries;
    }

    /** The {@code -cp} argument. */
    String asArgument() {
        return String.join(File.pathSeparator, entries);
    }

    /** Whether a child with this class path loads {@code type} itself, so it need not be shipped. */
    boolean canLoad(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader() || loader == ClassLoader.getSystemClassLoader()) {
            return true; // the JDK, or java.class.path, which every child has
        }
        return canLoad(type.getName().replace('.', '/') + ".class");
    }

    /** Whether a child with this class path finds this resource, such as {@code com/x/Foo.class}. */
    boolean canLoad(String resourcePath) {
        return lookup().getResource(resourcePath) != null;
    }

    private URLClassLoader lookup() {
        URLClassLoader loader = lookup;
        if (loader == null) {
            synchronized (this) {
                loader = lookup;
                if (loader == null) {
                    List<URL> urls = new ArrayList<>();
                    for (String entry : entries) {
                        try {
                            urls.add(new File(entry).toURI().toURL());
                        } catch (MalformedURLException e) {
                            // skip: cannot happen for a file path
                        }
                    }
                    loader = new URLClassLoader("workbook-child-class-path", urls.toArray(URL[]::new),
                            ClassLoader.getPlatformClassLoader());
                    lookup = loader;
                }
            }
        }
        return loader;
    }
}
