package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Local members never outlive the JVM that started them, even when it is SIGKILLed. */
class ParentLifetimeTest {

    /** Started in a JVM of its own: a local cluster of two, its pids on one line, then waits to be killed. */
    public static final class ClusterParent {
        public static void main(String[] args) throws Exception {
            Cluster cluster = Cluster.local(2);
            System.out.println("members " + cluster.memberPids().get(0) + " " + cluster.memberPids().get(1));
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void everyMemberIsGoneAfterItsParentIsKilledWithSigkill() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), ClusterParent.class.getName())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        List<Long> members = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("members ")) {
                    for (String pid : line.substring("members ".length()).split(" ")) {
                        members.add(Long.parseLong(pid));
                    }
                    break;
                }
            }
            assertEquals(2, members.size(), "the parent reported its members: " + output);
            members.forEach(pid -> assertTrue(running(pid), "member " + pid + " runs before the kill"));
        } finally {
            parent.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
            parent.waitFor();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (members.stream().anyMatch(ParentLifetimeTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the condition itself: the members' exit is asynchronous
        }
        List<Long> left = members.stream().filter(ParentLifetimeTest::running).toList();
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(List.of(), left, "members still running 15 s after their parent was SIGKILLed");
    }

    /** Running, not a zombie waiting for init to reap it (a member whose parent died is reparented). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
