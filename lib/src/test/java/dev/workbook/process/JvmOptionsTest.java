package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {

    @Test
    void defaultsTuneStartUpWithoutSlowingTheJit() {
        List<String> flags = JvmOptions.defaults().commandLineFlags();
        assertEquals(JvmOptions.STARTUP_FLAGS, flags);
        assertTrue(flags.containsAll(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto")));
        assertFalse(flags.stream().anyMatch(flag -> flag.contains("TieredStopAtLevel")), "peak speed matters in a child");
    }

    @Test
    void heapAndFlagsComeAfterTheTuningSoTheyWin() {
        JvmOptions options = JvmOptions.defaults().withMaxHeap("512m").withFlags("-Dx=1", "-XX:+UsePerfData");
        List<String> expected = new java.util.ArrayList<>(JvmOptions.STARTUP_FLAGS);
        expected.addAll(List.of("-Xmx512m", "-Dx=1", "-XX:+UsePerfData"));
        assertEquals(expected, options.commandLineFlags());
        assertEquals(List.of(), JvmOptions.defaults().withStartupTuning(false).commandLineFlags());
    }

    @Test
    void aCollectorChosenInTheFlagsReplacesTheSerialCollector() {
        List<String> flags = JvmOptions.defaults().withFlags("-XX:+UseParallelGC").commandLineFlags();
        assertFalse(flags.contains("-XX:+UseSerialGC"), "the JVM refuses two collectors: " + flags);
        assertTrue(flags.contains("-XX:+UseParallelGC"));
    }

    @Test
    void badSettingsAreRefusedWithAHint() {
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().withMaxHeap("lots"));
        assertTrue(heap.getMessage().contains("512m or 2g"), heap.getMessage());
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().withFlags("Xmx1g"));
        assertTrue(flag.getMessage().contains("does not start with '-'"), flag.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().withStartTimeout(Duration.ZERO));
    }

    @Test
    void theChildCommandInheritsTheClassPathAndTheAgronaExport() {
        ChildClassPath classPath = ChildClassPath.forLoaders(List.of());
        List<String> command = ChildJvm.command("Process-x", JvmOptions.defaults(), classPath);
        assertTrue(command.get(0).endsWith("/bin/java"));
        assertTrue(command.contains(ChildJvm.AGRONA_EXPORT), command.toString());
        assertEquals(1, command.stream().filter(ChildJvm.AGRONA_EXPORT::equals).count(), "once, though this JVM has it too");
        assertTrue(command.contains("-D" + Processes.NAME_PROPERTY + "=Process-x"));
        assertEquals(classPath.asArgument(), command.get(command.indexOf("-cp") + 1));
        assertTrue(classPath.entries().contains(Path.of("target", "classes").toAbsolutePath().toString()), classPath.entries().toString());
        assertEquals(ChildMain.class.getName(), command.get(command.size() - 1));
    }

    @Test
    void aLaunchPrefixComesBeforeTheJavaCommand() {
        JvmOptions pinned = JvmOptions.defaults().withLaunchPrefix("taskset", "-c", "1");
        List<String> command = ChildJvm.command("Process-x", pinned, ChildClassPath.forLoaders(List.of()));
        assertEquals(List.of("taskset", "-c", "1"), command.subList(0, 3));
        assertTrue(command.get(3).endsWith("/bin/java"), command.toString());
        assertThrows(IllegalArgumentException.class, () -> JvmOptions.defaults().withLaunchPrefix("taskset", " "));
    }
}
