package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad input to Cluster: a clear error, in bounded time, and no member started. */
class ClusterBadInputTest {

    @Test
    void connectingWhereNoMemberListensFailsWithinTheTimeoutNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        long start = System.nanoTime();
        String address = "127.0.0.1:" + port;
        ClusterUnreachableException refused = assertThrows(ClusterUnreachableException.class,
                () -> Cluster.connect("workbook", Duration.ofSeconds(2), address));
        long tookSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(tookSeconds < 20, "gave up after " + tookSeconds + " s");
        assertTrue(refused.getMessage().contains(address), refused.getMessage());
    }

    @Test
    void anAddressWithoutAPortIsRefusedAtOnceSayingWhatToWrite() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Cluster.connect("10.0.0.5"));
        assertTrue(refused.getMessage().contains("host:port"), refused.getMessage());
    }

    @Test
    void anAddressWithABadPortIsRefusedAtOnce() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Cluster.connect("localhost:99999"));
        assertTrue(refused.getMessage().contains("99999"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cluster.connect("localhost:http"));
    }

    @Test
    void connectWithoutAddressesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cluster.connect());
    }

    @Test
    void aLocalClusterOfNoMembersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cluster.local(0));
        assertThrows(IllegalArgumentException.class, () -> Cluster.local(1, 0));
    }
}
