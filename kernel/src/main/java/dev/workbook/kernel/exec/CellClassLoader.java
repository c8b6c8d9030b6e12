package dev.workbook.kernel.exec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Manifest;

/**
 * The class loader of everything a notebook runs: JShell's snippet classes and the jars and directories
 * added with {@code %classpath}, {@code %jars}, {@code %maven} or the class path environment variable.
 *
 * <p>Delegation is narrow on purpose. Only JDK packages and the kernel's notebook API
 * ({@code dev.workbook.kernel}, {@code org.dflib.jjava.jupyter}, IJava's {@code io.github.spencerpark}) come from the kernel's loader; every other
 * class comes from the notebook class path or not at all. The kernel's own libraries (Gson, ZeroMQ, ASM,
 * the Maven resolver) therefore never shadow or clash with the versions a notebook loads.
 *
 * <p>Classes defined here pass through {@link StopInstrumenter}. Resources are not rewritten: reading
 * {@code Foo.class} as a resource returns the original bytes, snippet classes included, so a process
 * launcher can ship a snippet class to a child JVM that has no kernel.
 *
 * <p>Thread-safe; parallel capable.
 */
public final class CellClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final String[] API_PREFIXES = {"dev.workbook.kernel.", "org.dflib.jjava.jupyter.", "io.github.spencerpark."};

    private final ClassLoader kernelLoader;
    private final Set<String> jdkPackages;
    private final StopInstrumenter instrumenter;
    private final StopChecks checks;
    private final Map<String, byte[]> snippetClasses = new ConcurrentHashMap<>();
    private final Map<URL, Manifest> manifests = new ConcurrentHashMap<>();
    private final URLStreamHandler snippetBytes = new SnippetBytesHandler();

    /** Which classes get stop checks: every class (the default), snippets only, or none. */
    public enum StopChecks {
        ALL, CELLS, OFF;

        /** From {@code WORKBOOK_KERNEL_STOP_CHECKS}: {@code all}, {@code cells} or {@code off}; null means all. */
        public static StopChecks parse(String value) {
            return value == null || value.isBlank() ? ALL : valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    public CellClassLoader(ClassLoader kernelLoader, StopInstrumenter instrumenter) {
        this(kernelLoader, instrumenter, StopChecks.ALL);
    }

    public CellClassLoader(ClassLoader kernelLoader, StopInstrumenter instrumenter, StopChecks checks) {
        super("notebook", new URL[0], ClassLoader.getPlatformClassLoader());
        this.kernelLoader = kernelLoader;
        this.instrumenter = instrumenter;
        this.checks = checks;
        Set<String> packages = new HashSet<>();
        ModuleLayer.boot().modules().forEach(module -> packages.addAll(module.getPackages()));
        this.jdkPackages = Set.copyOf(packages);
    }

    /** Adds a jar or a directory; it is searched after the entries added before it. */
    public void addPath(Path entry) {
        try {
            addURL(entry.toAbsolutePath().toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable class path entry: " + entry, e);
        }
    }

    /** The entries added so far, in search order, as file system paths. */
    public List<String> classPath() {
        List<String> paths = new ArrayList<>();
        for (URL url : getURLs()) {
            try {
                paths.add(Path.of(url.toURI()).toString());
            } catch (Exception notAFile) {
                paths.add(url.toString());
            }
        }
        return paths;
    }

    /** Records the bytes of classes JShell compiled; they are defined when first loaded. */
    void declare(String binaryName, byte[] classFile) {
        snippetClasses.put(binaryName, classFile);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = delegatesToKernel(name) ? kernelLoader.loadClass(name) : findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private boolean delegatesToKernel(String name) {
        for (String prefix : API_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 && jdkPackages.contains(name.substring(0, dot));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] snippet = snippetClasses.get(name);
        if (snippet != null) {
            byte[] code = checks == StopChecks.OFF ? snippet : instrumenter.instrument(snippet);
            return defineClass(name, code, 0, code.length, (CodeSource) null);
        }
        String path = name.replace('.', '/') + ".class";
        URL resource = findResource(path);
        if (resource == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] original;
        try (InputStream in = resource.openStream()) {
            original = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + resource, e);
        }
        URL location = locationOf(resource, path);
        definePackageOf(name, location);
        byte[] code = checks == StopChecks.ALL ? instrumenter.instrument(original) : original;
        return defineClass(name, code, 0, code.length, new CodeSource(location, (Certificate[]) null));
    }

    private void definePackageOf(String className, URL location) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) != null) {
            return;
        }
        Manifest manifest = location == null ? null : manifests.computeIfAbsent(location, this::readManifest);
        try {
            if (manifest != null && manifest.getMainAttributes() != null) {
                definePackage(pkg, manifest, location);
            } else {
                definePackage(pkg, null, null, null, null, null, null, null);
            }
        } catch (IllegalArgumentException definedConcurrently) {
            // another thread defined it first: that is fine
        }
    }

    private Manifest readManifest(URL jarLocation) {
        try {
            URLConnection connection = new URL("jar:" + jarLocation + "!/").openConnection();
            if (connection instanceof JarURLConnection) {
                Manifest manifest = ((JarURLConnection) connection).getManifest();
                return manifest == null ? new Manifest() : manifest;
            }
        } catch (IOException ignored) {
            // a directory or an unreadable jar: no manifest attributes
        }
        return new Manifest();
    }

    /** The class path entry a resource came from: the jar for {@code jar:} URLs, the directory otherwise. */
    private static URL locationOf(URL resource, String path) {
        try {
            String text = resource.toString();
            if ("jar".equals(resource.getProtocol())) {
                int separator = text.indexOf("!/");
                return new URL(text.substring("jar:".length(), separator));
            }
            if (text.endsWith(path)) {
                return new URL(text.substring(0, text.length() - path.length()));
            }
            return null;
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    public URL findResource(String name) {
        URL snippet = snippetResource(name);
        return snippet != null ? snippet : super.findResource(name);
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        URL snippet = snippetResource(name);
        if (snippet == null) {
            return super.findResources(name);
        }
        List<URL> all = new ArrayList<>();
        all.add(snippet);
        all.addAll(Collections.list(super.findResources(name)));
        return Collections.enumeration(all);
    }

    private URL snippetResource(String name) {
        if (!name.endsWith(".class")) {
            return null;
        }
        String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        if (!snippetClasses.containsKey(binaryName)) {
            return null;
        }
        try {
            return new URL("jshell-snippet", null, -1, "/" + name, snippetBytes);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves the original bytes of a snippet class under a {@code jshell-snippet:} URL. */
    private final class SnippetBytesHandler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) throws IOException {
            String name = url.getPath().substring(1);
            String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
            byte[] bytes = snippetClasses.get(binaryName);
            if (bytes == null) {
                throw new IOException("no snippet class " + binaryName);
            }
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes);
                }

                @Override
                public long getContentLengthLong() {
                    return bytes.length;
                }
            };
        }
    }
}
