package dev.workbook.kernel.magic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resolver reads dependencies' POMs as Maven does: profiles that activate on the JDK, the operating
 * system or a property take part, and a POM it cannot read is named instead of silently losing its
 * dependencies. Against a repository in a temporary directory, so offline and fast.
 */
class MavenResolverTest {

    @TempDir
    Path remote;
    @TempDir
    Path local;

    private MavenResolver resolver() {
        return new MavenResolver(local, remote.toUri().toString());
    }

    /** Publishes {@code t:NAME:1} (a POM with {@code body} inside {@code <project>}, and a jar) in the test repository. */
    private void publish(String name, String body) throws IOException {
        Path directory = Files.createDirectories(remote.resolve("t").resolve(name).resolve("1"));
        Files.writeString(directory.resolve(name + "-1.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>t</groupId><artifactId>" + name + "</artifactId><version>1</version>" + body + "</project>");
        Files.write(directory.resolve(name + "-1.jar"), new byte[]{'P', 'K', 5, 6});
    }

    private static String profile(String activation, String dependency) {
        return "<profiles><profile><id>p</id><activation>" + activation + "</activation><dependencies><dependency>"
                + "<groupId>t</groupId><artifactId>" + dependency + "</artifactId><version>1</version></dependency>"
                + "</dependencies></profile></profiles>";
    }

    private static List<String> names(List<Path> jars) {
        List<String> names = new ArrayList<>();
        jars.forEach(jar -> names.add(jar.getFileName().toString()));
        return names;
    }

    @Test
    void aProfileActivatedByTheJdkAddsItsDependencies() throws IOException {
        publish("needed-on-jdk", "");
        publish("lib", profile("<jdk>[1.8,)</jdk>", "needed-on-jdk"));

        assertEquals(List.of("lib-1.jar", "needed-on-jdk-1.jar"), names(resolver().resolve(List.of("t:lib:1"))));
    }

    @Test
    void aProfileActivatedByTheOperatingSystemAddsItsDependencies() throws IOException {
        publish("needed-on-this-os", "");
        publish("lib", profile("<os><name>" + System.getProperty("os.name") + "</name></os>", "needed-on-this-os"));

        assertEquals(List.of("lib-1.jar", "needed-on-this-os-1.jar"), names(resolver().resolve(List.of("t:lib:1"))));
    }

    @Test
    void aProfileActivatedByAnEnvironmentVariableAddsItsDependencies() throws IOException {
        publish("needed-with-path", "");
        publish("lib", profile("<property><name>env.PATH</name></property>", "needed-with-path"));

        assertEquals(List.of("lib-1.jar", "needed-with-path-1.jar"), names(resolver().resolve(List.of("t:lib:1"))));
    }

    @Test
    void aProfileThatDoesNotActivateAddsNothing() throws IOException {
        publish("never", "");
        publish("lib", profile("<jdk>[1.0,1.1)</jdk>", "never"));

        assertEquals(List.of("lib-1.jar"), names(resolver().resolve(List.of("t:lib:1"))));
    }

    @Test
    void aPomThatCannotBeReadIsNamedInAWarning() throws IOException {
        publish("broken", "");
        Files.writeString(remote.resolve("t/broken/1/broken-1.pom"), "<project><groupId>t</groupId><artifactId>broken");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        List<Path> jars;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            jars = resolver().resolve(List.of("t:broken:1"));
        } finally {
            System.setErr(saved);
        }

        String warning = captured.toString(StandardCharsets.UTF_8);
        assertEquals(List.of("broken-1.jar"), names(jars), "Maven, too, goes on without the dependencies of a bad POM");
        assertTrue(warning.contains("t:broken:jar:1") && warning.contains("invalid"), warning);
        assertTrue(warning.contains("dependencies are left out"), warning);
    }
}
