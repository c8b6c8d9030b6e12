package dev.workbook.kernel.magic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /** Activations that hold in every JVM: by the JDK, the operating system, an environment variable. */
    static List<String> activeHere() {
        return List.of("<jdk>[1.8,)</jdk>", "<os><name>" + System.getProperty("os.name") + "</name></os>",
                "<property><name>env.PATH</name></property>");
    }

    @ParameterizedTest
    @MethodSource("activeHere")
    void aProfileThatIsActiveHereAddsItsDependencies(String activation) throws IOException {
        publish("needed", "");
        publish("lib", profile(activation, "needed"));

        assertEquals(List.of("lib-1.jar", "needed-1.jar"), names(resolver().resolve(List.of("t:lib:1"))));
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

    @Test
    void aPomFileTakesVersionsFromItsParentInTheFileTree(@TempDir Path project) throws IOException {
        publish("a", "");
        Files.writeString(project.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion><groupId>p</groupId>"
                + "<artifactId>parent</artifactId><version>9</version><packaging>pom</packaging>"
                + "<properties><a.version>1</a.version></properties><dependencyManagement><dependencies><dependency>"
                + "<groupId>t</groupId><artifactId>a</artifactId><version>${a.version}</version></dependency>"
                + "</dependencies></dependencyManagement></project>");
        Path module = Files.createDirectory(project.resolve("module"));
        Files.writeString(module.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion><parent><groupId>p</groupId>"
                + "<artifactId>parent</artifactId><version>9</version></parent><artifactId>module</artifactId>"
                + "<dependencies><dependency><groupId>t</groupId><artifactId>a</artifactId></dependency></dependencies></project>");

        List<Path> jars = resolver().resolvePom(module.resolve("pom.xml"), MavenResolver.DEFAULT_SCOPES, "%loadFromPOM");

        assertEquals(List.of("a-1.jar"), names(jars));
    }

    @Test
    void aPastedCellIsReadAsAPomInItsDirectoryWithParentsBomsAndScopes(@TempDir Path notebook) throws IOException {
        publish("a", "");
        publish("from-bom", "");
        publish("for-tests", "");
        publish("bom", "<packaging>pom</packaging><dependencyManagement><dependencies><dependency><groupId>t</groupId>"
                + "<artifactId>from-bom</artifactId><version>1</version></dependency></dependencies></dependencyManagement>");
        Files.writeString(notebook.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion><groupId>p</groupId>"
                + "<artifactId>parent</artifactId><version>9</version><packaging>pom</packaging>"
                + "<properties><a.version>1</a.version></properties></project>");
        String cell = "<parent><groupId>p</groupId><artifactId>parent</artifactId><version>9</version>"
                + "<relativePath>pom.xml</relativePath></parent>\n"
                + "<dependencyManagement><dependencies><dependency><groupId>t</groupId><artifactId>bom</artifactId>"
                + "<version>1</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>\n"
                + "<dependency><groupId>t</groupId><artifactId>a</artifactId><version>${a.version}</version></dependency>\n"
                + "<dependency><groupId>t</groupId><artifactId>from-bom</artifactId></dependency>\n"
                + "<dependency><groupId>t</groupId><artifactId>for-tests</artifactId><version>1</version><scope>test</scope></dependency>";

        List<Path> jars = resolver().resolvePastedPom(cell, notebook, MavenResolver.DEFAULT_SCOPES, "%%loadFromPOM");

        assertEquals(List.of("a-1.jar", "from-bom-1.jar"), names(jars));
        try (java.util.stream.Stream<Path> files = Files.list(notebook)) {
            assertEquals(List.of("pom.xml"), files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toList()),
                    "the scratch POM is gone");
        }
    }

    @Test
    void aPomFileTakesVersionsFromAParentAndABomThatAreOnlyInTheRepository(@TempDir Path project) throws IOException {
        publish("from-parent", "");
        publish("from-bom", "");
        publish("parent", "<packaging>pom</packaging><dependencyManagement><dependencies><dependency><groupId>t</groupId>"
                + "<artifactId>from-parent</artifactId><version>1</version></dependency></dependencies></dependencyManagement>");
        publish("bom", "<packaging>pom</packaging><dependencyManagement><dependencies><dependency><groupId>t</groupId>"
                + "<artifactId>from-bom</artifactId><version>1</version></dependency></dependencies></dependencyManagement>");
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, "<project><modelVersion>4.0.0</modelVersion><parent><groupId>t</groupId>"
                + "<artifactId>parent</artifactId><version>1</version><relativePath/></parent><artifactId>app</artifactId>"
                + "<dependencyManagement><dependencies><dependency><groupId>t</groupId><artifactId>bom</artifactId>"
                + "<version>1</version><type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>"
                + "<dependencies><dependency><groupId>t</groupId><artifactId>from-parent</artifactId></dependency>"
                + "<dependency><groupId>t</groupId><artifactId>from-bom</artifactId></dependency></dependencies></project>");

        List<Path> jars = resolver().resolvePom(pom, MavenResolver.DEFAULT_SCOPES, "%loadFromPOM");

        assertEquals(List.of("from-parent-1.jar", "from-bom-1.jar"), names(jars));
    }

    @Test
    void aPomFilesOwnProfilesAndScopesCountAsInMaven(@TempDir Path project) throws IOException {
        publish("on-jdk", "");
        publish("for-tests", "");
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, "<project><modelVersion>4.0.0</modelVersion><groupId>p</groupId><artifactId>app</artifactId>"
                + "<version>1</version><dependencies><dependency><groupId>t</groupId><artifactId>for-tests</artifactId>"
                + "<version>1</version><scope>test</scope></dependency></dependencies>" + profile("<jdk>[1.8,)</jdk>", "on-jdk")
                + "</project>");

        assertEquals(List.of("on-jdk-1.jar"), names(resolver().resolvePom(pom, MavenResolver.DEFAULT_SCOPES, "%loadFromPOM")));
        assertEquals(List.of("for-tests-1.jar"), names(resolver().resolvePom(pom, java.util.Set.of("test"), "%loadFromPOM")));
    }

    @Test
    void aPomFileThatCannotBeReadIsAnErrorNamingIt(@TempDir Path project) throws IOException {
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, "<project><artifactId>cut off");

        MagicException error = org.junit.jupiter.api.Assertions.assertThrows(MagicException.class,
                () -> resolver().resolvePom(pom, MavenResolver.DEFAULT_SCOPES, "%loadFromPOM"));

        assertTrue(error.getMessage().contains("cannot read " + pom), error.getMessage());
    }
}
