package dev.workbook.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every IPC test class shares: a set of child JVMs killed after each test, and the check that a
 * test leaves no region in the shared-memory directory and no pipe rendezvous or doorbell there either.
 */
abstract class IpcTestSupport {

    protected final ChildJvms children = new ChildJvms();
    private Set<String> filesBefore;

    @BeforeEach
    void rememberFiles() {
        filesBefore = ourFiles();
    }

    @AfterEach
    void killChildrenAndCheckLeftovers() {
        children.close();
        Doorbell.sweep(); // the bells of children killed while a thread of theirs slept
        Set<String> left = ourFiles();
        left.removeAll(filesBefore);
        assertEquals(Set.of(), left, "files this test left behind");
    }

    static Set<String> ourFiles() {
        Set<String> names = new TreeSet<>();
        list(SharedMemory.directory(), RegionFiles.PREFIX + "*", names);
        list(SharedMemory.directory(), Pipe.PREFIX + "*", names);
        list(SharedMemory.directory(), Doorbell.PREFIX + "*", names);
        names.remove(Doorbell.pathOf(ProcessIdentity.current()).toString()); // ours lives until this JVM exits
        return names;
    }

    private static void list(Path directory, String glob, Set<String> into) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            files.forEach(path -> into.add(path.toString()));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + directory, e);
        }
    }

    static String uniqueName(String what) {
        return "t" + ProcessHandle.current().pid() + "-" + what + "-" + System.nanoTime();
    }
}
