package dev.workbook.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Children never outlive their parent: see {@link FamilyParent}, which runs in a JVM of its own. */
@ExtendWith(NoOrphans.class)
class ParentLifetimeTest {

    /** "About a second" on a quiet machine; generous for a loaded one. */
    private static final Duration CHILDREN_GONE_WITHIN = Duration.ofSeconds(5);

    @Test
    void childrenGrandchildrenAndPoolWorkersExitWhenTheirParentIsKilledWithSigkill() throws Exception {
        Family family = Family.start("sigkill", 6);
        assertEquals(6, family.children.size(), "3 children, 1 grandchild, 2 pool workers: " + family.output);
        long killed = System.nanoTime();
        family.parent.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        family.parent.waitFor();
        long goneAfterMillis = family.awaitChildrenGone();
        System.out.println("children of a SIGKILLed parent gone after " + goneAfterMillis + " ms (measured from the kill: "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms)");
    }

    @Test
    void sparesDieWithTheirParentKilledWithSigkill() throws Exception {
        Family family = Family.start("spares", 2);
        assertEquals(2, family.children.size(), "an idle spare and a running child: " + family.output);
        family.parent.toHandle().destroyForcibly();
        family.parent.waitFor();
        long goneAfterMillis = family.awaitChildrenGone();
        System.out.println("a child and an idle spare of a SIGKILLed parent gone after " + goneAfterMillis + " ms");
    }

    @Test
    void childrenAreStoppedWhenTheParentExits() throws Exception {
        Family family = Family.start("exit", 5); // the grandchild may not report before the parent exits
        assertTrue(family.parent.waitFor(30, TimeUnit.SECONDS), "the parent exits: its shutdown hook does not hang");
        assertEquals(0, family.parent.exitValue());
        family.awaitChildrenGone();
    }

    @Test
    void aNonDaemonChildKeepsItsParentRunningWhileADaemonChildIsStoppedAtExit() throws Exception {
        Family family = Family.start("daemon", 1);
        assertTrue(family.parent.waitFor(30, TimeUnit.SECONDS));
        family.awaitOutputEnd();
        assertTrue(family.output.contains("non-daemon child done"),
                "main returned, yet the JVM waited for its non-daemon child: " + family.output);
        assertEquals(1, family.children.size());
        family.awaitChildrenGone(); // the daemon child, stopped by the parent's shutdown hook
    }

    /** A {@link FamilyParent} JVM, all it printed (collected as it comes) and the children it reported. */
    private static final class Family {
        final Process parent;
        final List<String> output = new CopyOnWriteArrayList<>();
        final List<Long> children = new ArrayList<>();
        final Thread reader;

        private Family(Process parent) {
            this.parent = parent;
            this.reader = new Thread(this::read, "family-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the parent was killed
            }
        }

        /**
         * Starts the parent and waits until it is ready and has reported at least this many distinct
         * children (a grandchild reports itself from its own parent, possibly after "ready"); kills the
         * parent and fails if that takes over a minute.
         */
        static Family start(String mode, int expectedChildren) throws Exception {
            Family family = new Family(TestJvm.start(FamilyParent.class, mode));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!family.output.contains("ready") || family.reportedChildren().size() < expectedChildren) {
                if (System.nanoTime() > deadline || !family.reader.isAlive()) {
                    family.parent.toHandle().destroyForcibly();
                    fail("the parent did not get ready with " + expectedChildren + " children: " + family.output);
                }
                Thread.sleep(10);
            }
            family.children.addAll(family.reportedChildren());
            return family;
        }

        /** The distinct pids of the "child" lines so far (the busy worker reports itself twice). */
        List<Long> reportedChildren() {
            List<Long> pids = new ArrayList<>();
            for (String line : output) {
                if (line.startsWith("child ")) {
                    long pid = Long.parseLong(line.substring("child ".length()));
                    if (!pids.contains(pid)) {
                        pids.add(pid);
                    }
                }
            }
            return pids;
        }

        /** Waits until the parent's output ends (it exited and its pipe closed). */
        void awaitOutputEnd() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }

        /** Waits for every reported child to end; fails if one is still alive after the limit. Returns the wait. */
        long awaitChildrenGone() throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + CHILDREN_GONE_WITHIN.toNanos();
            for (long pid : children) {
                while (TestJvm.running(pid)) {
                    if (System.nanoTime() > deadline) {
                        fail("child " + pid + " outlived its parent by more than " + CHILDREN_GONE_WITHIN.toSeconds() + " s");
                    }
                    Thread.sleep(10);
                }
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }
}
