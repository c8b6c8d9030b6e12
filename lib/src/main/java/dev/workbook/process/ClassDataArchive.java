package dev.workbook.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 */
final class ClassDataArchive {

    /**
     * Archives a directory keeps: each rebuild of a jar makes a new one (see {@link #hash}), so the
     * oldest are deleted past this many. One that is still wanted is simply recorded again.
     */
    static final int MAX_ARCHIVES = 8;

    /** Archives being recorded by a child of this JVM: at most one child records each. */
    private static final Set<Path> RECORDING = ConcurrentHashMap.newKeySet();

    private final Path archive;
    private final Path recording;

    private ClassDataArchive(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /**
     * What a child with this class path and these flags should do, or null if no archive applies
     * (no directory set, or a directory on the class path).
     */
    static ClassDataArchive plan(Path directory, ChildClassPath classPath, List<String> flags) {
        if (directory == null || !jarsOnly(classPath)) {
            return null;
        }
        Path archive = directory.toAbsolutePath().resolve("child-" + hash(classPath, flags) + ".jsa");
        if (Files.isRegularFile(archive)) {
            return new ClassDataArchive(archive, null);
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
        return new ClassDataArchive(archive, archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp"));
    }

    /**
     * The flags to put on the child's command line. CDS's own logging is turned off: recording warns
     * about every class it leaves out (JFR events, generated accessors), and JDK 24 and later log an
     * error when a child's {@code --add-exports} (which every child has, for Agrona) differs from the
     * JDK's base archive, though the archive is still used. An archive that cannot be used is simply
     * not used: the child starts as it would without.
     */
    List<String> flags() {
        String archiveFlag = recording == null ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit=" + recording;
        return List.of(archiveFlag, "-Xlog:cds*=off:stderr");
    }

    /** Called once the child has exited: publishes a recorded archive, or drops a failed recording. */
    void childExited(int exitCode) {
        if (recording == null) {
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

    /** Keeps the newest {@link #MAX_ARCHIVES} archives of the directory; best effort. */
    private static void deleteOldest(Path directory) {
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "child-*.jsa")) {
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
     * recorded: a rebuilt jar must get an archive of its own, not keep an unusable one forever.
     */
    private static String hash(ChildClassPath classPath, List<String> flags) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            StringBuilder jars = new StringBuilder();
            for (String entry : classPath.entries()) {
                Path path = Path.of(entry);
                jars.append(entry).append(File.pathSeparator);
                if (Files.isRegularFile(path)) {
                    try {
                        jars.append(Files.size(path)).append('@').append(Files.getLastModifiedTime(path).toMillis());
                    } catch (IOException e) {
                        jars.append("unreadable");
                    }
                }
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
}
