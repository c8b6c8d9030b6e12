package dev.workbook.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A member binds loopback unless told otherwise, and an exposed interface needs the trust opt-in. */
class MemberSecurityTest {

    @Test
    void aMemberBindsLoopbackOnlyByDefaultWithMulticastOff() {
        Config config = MemberSettings.defaults().toConfig();
        assertEquals(List.of("127.0.0.1"), config.getNetworkConfig().getInterfaces().getInterfaces().stream().toList());
        assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
        assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
        assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
        assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    }

    @Test
    void aNonLoopbackInterfaceIsRefusedWithoutTheTrustFlagNamingIt() {
        MemberSettings exposed = MemberSettings.defaults().withInterfaces("10.0.0.5");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, exposed::toConfig);
        assertTrue(refused.getMessage().contains("10.0.0.5"), refused.getMessage());
        assertTrue(refused.getMessage().contains(MemberSettings.TRUST_FLAG), refused.getMessage());
        assertTrue(refused.getMessage().contains("no authentication"), refused.getMessage());
    }

    @Test
    void wildcardsAndHostNamesCountAsExposed() {
        for (String name : List.of("10.0.*.*", "127.0.0.*", "0.0.0.0", "my-host", "192.168.1.10-20")) {
            assertThrows(IllegalArgumentException.class, () -> MemberSettings.defaults().withInterfaces(name).toConfig(), name);
        }
        for (String name : List.of("127.0.0.1", "127.1.2.3", "::1", "localhost")) {
            MemberSettings.defaults().withInterfaces(name).toConfig();
        }
    }

    @Test
    void withTheTrustOptInANonLoopbackInterfaceIsConfigured() {
        Config config = MemberSettings.defaults().withInterfaces("10.0.0.5").withNetworkTrusted(true).toConfig();
        assertEquals(List.of("10.0.0.5"), config.getNetworkConfig().getInterfaces().getInterfaces().stream().toList());
    }

    @Test
    void theMemberCommandRefusesAnExposedInterfaceWithoutTheFlagAndExitsWith2() throws Exception {
        Process member = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName(), "--interface", "10.1.2.3")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(member.waitFor(60, TimeUnit.SECONDS), "the command exits instead of starting");
        String output = new String(member.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, member.exitValue(), output);
        assertTrue(output.contains(MemberSettings.TRUST_FLAG) && output.contains("10.1.2.3"), output);
    }

    @Test
    void theMemberCommandNamesAnUnknownArgument() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MemberSettings.parse("--bind", "x"));
        assertTrue(refused.getMessage().contains("--bind"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemberSettings.parse("--port", "many"));
        assertThrows(IllegalArgumentException.class, () -> MemberSettings.parse("--members", "a-host"));
    }
}
