package dev.workbook.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * An application class-data sharing archive for child JVMs ({@link JvmOptions#withClassDataArchive}):
 * the classes a child loads, already parsed and verified, mapped from a file at start-up.
 *
 * <p>The first child started with the option records the archive when it exits
 * ({@code -XX:ArchiveClassesAtExit}, into a temporary file renamed once that child has exited with
 * code 0); later children map it ({@code -XX:SharedArchiveFile}). One archive per JDK, class path
 * and set of JVM flags, named by a hash of them, since an archive only fits the class path it was
 * made with (and the jars' sizes and modification times, so a rebuilt jar gets a fresh archive).
 * JDK 17 cannot archive classes loaded from directories, so the option does nothing when
 * the class path has a non-empty directory (a build's {@code target/classes}); it suits a class path
 * of jars, as in a notebook or the benchmarks.
 *
 * <p><b>On JDK 24 and later</b> the archive is the JDK's AOT cache instead (JEP 483; on 25 it also
 * holds the method profiles of the recording run, JEP 515): the first child runs with
 * {@code -XX:AOTMode=record}, which writes the AOT configuration when it exits with code 0; this JVM
 * then creates the cache from it in a background {@code java -XX:AOTMode=create} (output discarded,
 * stopped with this JVM, of the same family) and publishes it by renaming; later children start with
 * {@code -XX:AOTCache}. The same rules as above: named after the JDK, class path, jar stamps and
 * flags; jars only; the newest eight kept; an unusable cache is not used. (The one-step
 * {@code -XX:AOTCacheOutput} of JEP 514 would make the recording child assemble the cache itself at
 * exit, which takes it a second or two longer to exit and prints its progress on standard error, so
 * the two steps are done apart.)
 */
final class ClassDataArchive {

    /**
     * Archives a directory keeps: each rebuild of a jar makes a new one (see {@link #hash}), so the
     * oldest are deleted past this many. One that is still wanted is simply recorded again.
     */
    static final int MAX_ARCHIVES = 8;

    /** Archives being recorded by a child of this JVM: at most one child records each. */
    private static final Set<Path> RECORDING = ConcurrentHashMap.newKeySet();

    /** Whether children of this JVM use the JDK's AOT cache rather than a dynamic CDS archive. */
    static final boolean AOT_CACHE = Runtime.version().feature() >= 24;

    private final boolean aot;
    private final Path archive;
    private final Path recording;
    /** For the AOT cache's create step: the class path and flags the recording child had. */
    private final ChildClassPath classPath;
    private final List<String> childFlags;

    private ClassDataArchive(boolean aot, Path archive, Path recording, ChildClassPath classPath, List<String> childFlags) {
        this.aot = aot;
        this.archive = archive;
        this.recording = recording;
        this.classPath = classPath;
        this.childFlags = List.copyOf(childFlags);
    }

    /**
     * What a child with this class path and these flags should do, or null if no archive applies
     * (no directory set, or a directory on the class path).
     */
    static ClassDataArchive plan(Path directory, ChildClassPath classPath, List<String> flags) {
        return plan(directory, classPath, flags, AOT_CACHE);
    }

    /** {@link #plan(Path, ChildClassPath, List)} for an AOT cache ({@code aot}) or a dynamic CDS archive. */
    static ClassDataArchive plan(Path directory, ChildClassPath classPath, List<String> flags, boolean aot) {
        if (directory == null || !jarsOnly(classPath)) {
            return null;
        }
        Path archive = directory.toAbsolutePath().resolve("child-" + hash(classPath, flags) + (aot ? ".aot" : ".jsa"));
        if (Files.isRegularFile(archive)) {
            return new ClassDataArchive(aot, archive, null, classPath, flags);
        }
        if (!RECORDING.add(archive)) {
            return null; // another child is recording it: this one starts without
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            RECORDING.remove(archive);
            return null;
        }
        return new ClassDataArchive(aot, archive, archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp"),
                classPath, flags);
    }

    /**
     * The flags to put on the child's command line. CDS's own logging is turned off: recording warns
     * about every class it leaves out (JFR events, generated accessors), and JDK 24 and later log an
     * error when a child's {@code --add-exports} (which every child has, for Agrona) differs from the
     * JDK's base archive, though the archive is still used. An archive that cannot be used is simply
     * not used: the child starts as it would without.
     */
    List<String> flags() {
        if (aot) {
            List<String> flags = new ArrayList<>(recording == null ? List.of("-XX:AOTCache=" + archive)
                    : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration()));
            flags.add("-Xlog:cds*=off:stderr");
            if (Runtime.version().feature() >= 25) {
                flags.add("-Xlog:aot*=off:stderr"); // the tag is new in 25
            }
            return flags;
        }
        String archiveFlag = recording == null ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + recording;
        return List.of(archiveFlag, "-Xlog:cds*=off:stderr");
    }

    /**
     * The child's flags without those the archive flags cannot be combined with: the AOT cache's
     * flags refuse any {@code -Xshare} setting (the start-up flags ask for {@code -Xshare:auto}, which
     * the AOT cache implies anyway).
     */
    static List<String> compatible(List<String> flags, List<String> archiveFlags) {
        if (archiveFlags.stream().noneMatch(flag -> flag.startsWith("-XX:AOT"))) {
            return flags;
        }
        List<String> kept = new ArrayList<>(flags);
        kept.removeIf(flag -> flag.startsWith("-Xshare:"));
        return kept;
    }

    /** Where a recording child writes its AOT configuration. */
    private Path configuration() {
        return recording.resolveSibling(recording.getFileName() + ".aotconf");
    }

    /** Called once the child has exited: publishes a recorded archive, or drops a failed recording. */
    void childExited(int exitCode) {
        if (recording == null) {
            return;
        }
        if (aot) {
            createAotCache(exitCode);
            return;
        }
        try {
            if (exitCode == 0 && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                deleteOldest(archive.getParent());
            }
        } catch (IOException e) {
            // the next child records it again
        } finally {
            try {
                Files.deleteIfExists(recording);
            } catch (IOException e) {
                // nothing more to do
            }
            RECORDING.remove(archive);
        }
    }

    /**
     * The AOT cache's second step: creates the cache from the recorded configuration in a background
     * JVM, then publishes it. Whatever fails leaves no file behind, and the next child records again.
     */
    private void createAotCache(int exitCode) {
        Path configuration = configuration();
        try {
            if (exitCode != 0 || !Files.isRegularFile(configuration)) {
                throw new IOException("no configuration recorded");
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ChildJvm.inheritedFlags());
            if (!command.contains(ChildJvm.AGRONA_EXPORT)) {
                command.add(ChildJvm.AGRONA_EXPORT);
            }
            command.addAll(compatible(childFlags, List.of("-XX:AOTMode=create")));
            command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + recording,
                    "-Xlog:disable", "-D" + Processes.FAMILY_PROPERTY + "=" + Processes.family(), "-cp", classPath.asArgument()));
            Process create = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Processes.track(create);
            create.onExit().thenAccept(ended -> {
                try {
                    if (ended.exitValue() == 0 && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        deleteOldest(archive.getParent());
                    }
                } catch (IOException e) {
                    // the next child records it again
                } finally {
                    dropRecording(configuration);
                }
            });
        } catch (IOException | RuntimeException e) {
            dropRecording(configuration);
        }
    }

    /** Deletes what a recording left and lets another child record this archive. */
    private void dropRecording(Path configuration) {
        try {
            Files.deleteIfExists(configuration);
            Files.deleteIfExists(recording);
        } catch (IOException e) {
            // nothing more to do
        }
        RECORDING.remove(archive);
    }

    /** Keeps the newest {@link #MAX_ARCHIVES} archives of the directory; best effort. */
    private static void deleteOldest(Path directory) {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "child-*.{jsa,aot}")) {
            files.forEach(archives::add);
        } catch (IOException e) {
            return;
        }
        if (archives.size() <= MAX_ARCHIVES) {
            return;
        }
        archives.sort(Comparator.comparingLong(ClassDataArchive::modified).reversed());
        for (Path old : archives.subList(MAX_ARCHIVES, archives.size())) {
            try {
                Files.deleteIfExists(old); // a child mapping it keeps its mapping
            } catch (IOException e) {
                // left for the next clean-up
            }
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** JDK 17 refuses to record classes from a non-empty directory on the class path. */
    private static boolean jarsOnly(ChildClassPath classPath) {
        for (String entry : classPath.entries()) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                try (DirectoryStream<Path> contents = Files.newDirectoryStream(path)) {
                    if (contents.iterator().hasNext()) {
                        return false;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Names the archive after everything it depends on. The jars' sizes and modification times are
     * part of it because the JVM silently ignores an archive whose jars have changed since it was
     * recorded: a rebuilt jar must get an archive of its own, not keep an unusable one forever. That
     * includes the jars a jar's manifest names in its {@code Class-Path} (as {@code benchmarks.jar}
     * names its dependencies), which the JVM loads from and checks just the same.
     */
    private static String hash(ChildClassPath classPath, List<String> flags) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder jars = new StringBuilder();
            Set<Path> seen = new HashSet<>();
            for (String entry : classPath.entries()) {
                jars.append(entry).append(File.pathSeparator);
                stamp(Path.of(entry), jars, seen);
                jars.append('\n');
            }
            for (String part : List.of(System.getProperty("java.home"), System.getProperty("java.vm.version"),
                    jars.toString(), String.join(" ", flags))) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Appends a jar's size and modification time, then those of the jars its manifest's
     * {@code Class-Path} names, depth first; each jar once, so a cycle of manifests ends.
     */
    private static void stamp(Path path, StringBuilder jars, Set<Path> seen) {
        if (!Files.isRegularFile(path) || !seen.add(path.toAbsolutePath().normalize())) {
            return;
        }
        long size;
        long modified;
        try {
            size = Files.size(path);
            modified = Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            jars.append("unreadable");
            return;
        }
        jars.append(size).append('@').append(modified);
        for (Path named : MANIFEST_CLASS_PATHS.computeIfAbsent(path.toAbsolutePath() + "@" + size + "@" + modified,
                key -> manifestClassPath(path))) {
            jars.append(' ').append(named).append('=');
            stamp(named, jars, seen);
        }
    }

    /**
     * The manifest {@code Class-Path} of each jar read so far, by path, size and modification time:
     * every child start names its archive, and a jar is opened only when it is new or rebuilt.
     */
    private static final ConcurrentHashMap<String, List<Path>> MANIFEST_CLASS_PATHS = new ConcurrentHashMap<>();

    /**
     * The files a jar's manifest {@code Class-Path} names: relative URLs, resolved against the jar's
     * directory. Empty for a file that is no jar or has no such attribute.
     */
    private static List<Path> manifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<Path> named = new ArrayList<>();
            URI base = jar.toAbsolutePath().toUri();
            for (String entry : value.trim().split("\\s+")) {
                try {
                    URI resolved = base.resolve(entry);
                    if ("file".equals(resolved.getScheme())) {
                        named.add(Path.of(resolved));
                    }
                } catch (IllegalArgumentException e) {
                    // the JVM skips an entry it cannot read as a URL too
                }
            }
            return List.copyOf(named);
        } catch (IOException e) {
            return List.of(); // not a jar: nothing more on the class path
        }
    }
}
