package dev.workbook.kernel.magic;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleArtifactDescriptorPolicy;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves Maven artifacts with their runtime dependencies into jar files, from the local repository
 * ({@code ~/.m2/repository}, or the one {@code ~/.m2/settings.xml} or {@code -Dmaven.repo.local} names)
 * and from Maven Central plus the repositories added with {@code %mavenRepo}. Downloads land in the local
 * repository, as with Maven itself.
 *
 * <p>When a repository cannot be reached the error says so and names what is missing, instead of a wall
 * of resolver stack traces. Not thread-safe: magics run one at a time.
 */
public final class MavenResolver {

    /** The scopes {@code %loadFromPOM} takes when none are given: what a project needs to run. */
    static final Set<String> DEFAULT_SCOPES = Set.of("compile", "runtime", "system", "import");

    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepository;
    private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
    private RepositorySystem system;
    private final DescriptorProblems descriptorProblems = new DescriptorProblems();

    public MavenResolver(Path localRepository) {
        this(localRepository, CENTRAL_URL);
    }

    /** A resolver whose "central" is {@code centralUrl} (a mirror, or an unreachable address in tests). */
    MavenResolver(Path localRepository, String centralUrl) {
        this.localRepository = localRepository;
        repositories.put("central", remote("central", centralUrl));
    }

    /** The local repository Maven itself would use. */
    public static Path defaultLocalRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path settings = home.resolve(".m2/settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                Matcher m = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                        .matcher(Files.readString(settings));
                if (m.find()) {
                    return Path.of(m.group(1).replace("${user.home}", home.toString()));
                }
            } catch (IOException ignored) {
                // fall back to the default location
            }
        }
        return home.resolve(".m2/repository");
    }

    /** Adds (or replaces) a remote repository searched after Maven Central. */
    public void addRepository(String id, String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("no scheme");
            }
        } catch (IllegalArgumentException e) {
            throw new MagicException("%mavenRepo: '" + url + "' is not a repository URL; use e.g."
                    + " %mavenRepo sonatype-snapshots https://oss.sonatype.org/content/repositories/snapshots/");
        }
        repositories.put(id, remote(id, url));
    }

    /**
     * The jars of {@code coordinates} ({@code group:artifact[:extension[:classifier]]:version}) and of
     * everything they need at run time, in class path order.
     */
    public List<Path> resolve(List<String> coordinates) {
        List<Dependency> dependencies = new ArrayList<>();
        for (String coordinate : coordinates) {
            try {
                dependencies.add(new Dependency(new DefaultArtifact(coordinate), JavaScopes.RUNTIME));
            } catch (IllegalArgumentException e) {
                throw new MagicException("%maven: '" + coordinate + "' is not a Maven coordinate; write"
                        + " group:artifact:version, e.g. org.knowm.xchart:xchart:3.8.8");
            }
        }
        return resolve(dependencies, List.of(), List.of(), "%maven");
    }

    /**
     * The jars of what a POM file declares in {@code scopes}, with their dependencies, from the POM's model
     * as Maven builds it: parents in the file tree ({@code <relativePath>}) or in the repositories, imported
     * BOMs, properties, and the profiles that are active here; its dependency management applies to the
     * dependencies' dependencies too, and its repositories are searched.
     *
     * @throws MagicException if the POM cannot be read or a dependency cannot be resolved
     */
    public List<Path> resolvePom(Path pom, Set<String> scopes, String magic) {
        return resolvePom(pom, pom.toString(), scopes, magic);
    }

    private List<Path> resolvePom(Path pom, String describedAs, Set<String> scopes, String magic) {
        if (!Files.isRegularFile(pom)) {
            throw new MagicException(magic + ": there is no file " + pom.toAbsolutePath());
        }
        // The POM enters the resolver as the one artifact of a workspace, as a project does in a Maven build.
        Artifact project = new DefaultArtifact("workbook.notebook", "pom-file", "pom", "0").setFile(pom.toFile());
        DefaultRepositorySystemSession session = session(new Downloads());
        session.setWorkspaceReader(new OneFileWorkspace(project));
        session.setArtifactDescriptorPolicy(new SimpleArtifactDescriptorPolicy(false, false)); // its own POM must read
        ArtifactDescriptorResult model;
        try {
            model = system().readArtifactDescriptor(session,
                    new ArtifactDescriptorRequest(project, new ArrayList<>(repositories.values()), null));
        } catch (ArtifactDescriptorException e) {
            throw new MagicException(magic + ": cannot read " + describedAs + ": " + DescriptorProblems.firstLine(e), e);
        }
        List<Dependency> wanted = new ArrayList<>();
        for (Dependency dependency : model.getDependencies()) {
            String scope = dependency.getScope().isEmpty() ? JavaScopes.COMPILE : dependency.getScope();
            if (scopes.contains(scope)) {
                wanted.add(dependency);
            }
        }
        return resolve(wanted, model.getManagedDependencies(), model.getRepositories(), magic);
    }

    /**
     * The jars of what a {@code %%loadFromPOM} cell pastes ({@link PastedPom}), read by Maven's model
     * builder exactly as {@link #resolvePom} reads a file: the cell's project is written to a hidden
     * scratch file in {@code base} (so that a pasted {@code <parent>} is found in the file tree as it would
     * be for a {@code pom.xml} there; in a temporary directory if {@code base} is read-only), and the file
     * is deleted before this returns.
     *
     * @throws MagicException if the cell is not a POM or a fragment of one, or a dependency cannot be resolved
     */
    public List<Path> resolvePastedPom(String cell, Path base, Set<String> scopes, String magic) {
        String project = PastedPom.toProject(cell);
        Path scratch = null;
        Path scratchDirectory = null;
        try {
            try {
                scratch = Files.createTempFile(base, ".loadFromPOM-", ".pom.xml");
            } catch (IOException | UnsupportedOperationException readOnly) {
                scratchDirectory = Files.createTempDirectory("loadFromPOM-");
                scratch = scratchDirectory.resolve("pom.xml");
            }
            Files.writeString(scratch, project, java.nio.charset.StandardCharsets.UTF_8);
            return resolvePom(scratch, "the cell's POM", scopes, magic);
        } catch (IOException e) {
            throw new MagicException(magic + ": cannot write the cell's POM to a scratch file: " + e.getMessage(), e);
        } finally {
            try {
                if (scratch != null) {
                    Files.deleteIfExists(scratch);
                }
                if (scratchDirectory != null) {
                    Files.deleteIfExists(scratchDirectory);
                }
            } catch (IOException ignored) {
                // a hidden scratch file left in a temporary or notebook directory; nothing else to do
            }
        }
    }

    private List<Path> resolve(List<Dependency> dependencies, List<Dependency> managed, List<RemoteRepository> extra,
                               String magic) {
        if (dependencies.isEmpty()) {
            return List.of();
        }
        List<RemoteRepository> remotes = new ArrayList<>(repositories.values());
        remotes.addAll(extra);
        Downloads downloads = new Downloads();
        descriptorProblems.magic = magic;
        DefaultRepositorySystemSession session = session(downloads);
        CollectRequest collect = new CollectRequest(dependencies, managed, remotes);
        // Run-time jars, and those of the scopes asked for (%loadFromPOM pom.xml test): the collector already
        // leaves out the test and provided dependencies of dependencies, as Maven does.
        Set<String> scopes = new java.util.TreeSet<>(List.of(JavaScopes.COMPILE, JavaScopes.RUNTIME, JavaScopes.SYSTEM));
        dependencies.forEach(dependency -> scopes.add(dependency.getScope().isEmpty() ? JavaScopes.COMPILE : dependency.getScope()));
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(scopes.toArray(new String[0])));
        try {
            DependencyResult result = system().resolveDependencies(session, request);
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult artifact : result.getArtifactResults()) {
                if (artifact.getArtifact() != null && artifact.getArtifact().getFile() != null) {
                    jars.add(artifact.getArtifact().getFile().toPath());
                }
            }
            if (downloads.count.get() > 0) {
                System.out.printf("%s: downloaded %d file%s (%.1f MB) into %s%n", magic, downloads.count.get(),
                        downloads.count.get() == 1 ? "" : "s", downloads.bytes.get() / 1e6, localRepository);
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new MagicException(explain(magic, dependencies, remotes, e), e);
        }
    }

    private String explain(String magic, List<Dependency> wanted, List<RemoteRepository> remotes,
                           DependencyResolutionException e) {
        String what = wanted.size() == 1 ? wanted.get(0).getArtifact().toString() : wanted.size() + " artifacts";
        StringBuilder where = new StringBuilder();
        for (RemoteRepository remote : remotes) {
            where.append(where.length() == 0 ? "" : ", ").append(remote.getId()).append(" (").append(remote.getUrl()).append(')');
        }
        Throwable unreachable = find(e, UnknownHostException.class, ConnectException.class,
                NoRouteToHostException.class, SocketTimeoutException.class);
        if (unreachable != null) {
            return magic + ": could not get " + what + ": the repositories cannot be reached ("
                    + unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage() + ") and "
                    + missingLocally(e) + " not in the local repository " + localRepository + ". Connect to the"
                    + " network and run the cell again, or add the jars with %jars. Repositories tried: " + where;
        }
        ArtifactNotFoundException notFound = (ArtifactNotFoundException) find(e, ArtifactNotFoundException.class);
        if (notFound != null) {
            return magic + ": " + notFound.getArtifact() + " does not exist in " + where
                    + ". Check the coordinates (group:artifact:version), or add the repository that has it"
                    + " with %mavenRepo <id> <url>.";
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return magic + ": could not resolve " + what + ": " + root.getMessage();
    }

    private static String missingLocally(DependencyResolutionException e) {
        List<String> missing = new ArrayList<>();
        if (e.getResult() != null) {
            for (ArtifactResult result : e.getResult().getArtifactResults()) {
                if (!result.isResolved()) {
                    missing.add(String.valueOf(result.getRequest().getArtifact()));
                }
            }
        }
        return missing.isEmpty() ? "it is" : String.join(", ", missing) + (missing.size() == 1 ? " is" : " are");
    }

    @SafeVarargs
    private static Throwable find(Throwable error, Class<? extends Throwable>... types) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Throwable inner = find(suppressed, types);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private DefaultRepositorySystemSession session(Downloads downloads) {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system().newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        session.setTransferListener(downloads);
        // What Maven gives its resolver session: without java.version and os.* no JDK- or OS-activated
        // profile of a dependency's POM activates, the model fails to build ("Failed to determine Java
        // version for profile"), and the resolver drops that POM's dependencies.
        session.setSystemProperties(mavenSystemProperties());
        session.setRepositoryListener(descriptorProblems);
        // Fail fast when offline instead of waiting for the default two-minute timeouts.
        session.setConfigProperty("aether.connector.connectTimeout", 10_000);
        session.setConfigProperty("aether.connector.requestTimeout", 60_000);
        return session;
    }

    /** The JVM's system properties and, as {@code env.NAME}, the environment: Maven's model properties. */
    static Properties mavenSystemProperties() {
        Properties properties = new Properties();
        System.getenv().forEach((name, value) -> properties.setProperty("env." + name, value));
        properties.putAll(System.getProperties());
        return properties;
    }

    private static RemoteRepository remote(String id, String url) {
        RemoteRepository.Builder builder = new RemoteRepository.Builder(id, "default", url);
        Proxy proxy = proxyFor(url);
        if (proxy != null) {
            builder.setProxy(proxy);
        }
        return builder.build();
    }

    /** A proxy from {@code https_proxy} / {@code http_proxy}, as curl and pip read them; null if none. */
    private static Proxy proxyFor(String url) {
        boolean https = url.startsWith("https:");
        String value = firstSet(https ? "https_proxy" : "http_proxy", https ? "HTTPS_PROXY" : "HTTP_PROXY");
        if (value == null) {
            return null;
        }
        try {
            URI proxy = URI.create(value.contains("://") ? value : "http://" + value);
            return new Proxy(https ? Proxy.TYPE_HTTPS : Proxy.TYPE_HTTP, proxy.getHost(),
                    proxy.getPort() > 0 ? proxy.getPort() : 80);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstSet(String... names) {
        for (String name : names) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * Says which POMs could not be read, as Maven warns: the resolver then goes on without their
     * dependencies (Maven's policy too), and a silent drop shows up much later as a
     * {@code NoClassDefFoundError}.
     */
    private static final class DescriptorProblems extends AbstractRepositoryListener {
        private String magic = "%maven";

        @Override
        public void artifactDescriptorInvalid(RepositoryEvent event) {
            System.err.println(magic + ": warning: the POM of " + event.getArtifact() + " is invalid, so its"
                    + " dependencies are left out: " + firstLine(event.getException()));
        }

        @Override
        public void artifactDescriptorMissing(RepositoryEvent event) {
            System.err.println(magic + ": warning: " + event.getArtifact() + " has no POM, so no dependencies"
                    + " of it are known");
        }

        static String firstLine(Exception error) {
            Throwable root = error;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage()).strip();
            return message.replaceAll("\\s*\\n\\s*", "; ");
        }
    }

    /** A workspace of one artifact, a POM file on disk, so that the resolver reads it as Maven reads a project. */
    private static final class OneFileWorkspace implements WorkspaceReader {
        private final WorkspaceRepository repository = new WorkspaceRepository("notebook");
        private final Artifact artifact;

        OneFileWorkspace(Artifact artifact) {
            this.artifact = artifact;
        }

        @Override
        public WorkspaceRepository getRepository() {
            return repository;
        }

        @Override
        public File findArtifact(Artifact wanted) {
            return sameCoordinates(wanted) ? artifact.getFile() : null;
        }

        @Override
        public List<String> findVersions(Artifact wanted) {
            return sameCoordinates(wanted) ? List.of(artifact.getVersion()) : List.of();
        }

        private boolean sameCoordinates(Artifact wanted) {
            return wanted.getGroupId().equals(artifact.getGroupId()) && wanted.getArtifactId().equals(artifact.getArtifactId())
                    && wanted.getExtension().equals(artifact.getExtension()) && wanted.getVersion().equals(artifact.getVersion());
        }
    }

    /** Counts what was downloaded, for the one-line summary. */
    private static final class Downloads extends AbstractTransferListener {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void transferSucceeded(TransferEvent event) {
            if (event.getRequestType() == TransferEvent.RequestType.GET) {
                count.incrementAndGet();
                bytes.addAndGet(event.getTransferredBytes());
            }
        }
    }
}
