package dev.workbook.kernel.magic;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code %maven}, {@code %loadFromPOM} and {@code %%loadFromPOM} cells resolve exactly the jars Maven resolves, for popular artifacts
 * whose POMs use parents, BOMs, profiles, optional and test dependencies. Maven is the judge: one
 * {@code mvn dependency:build-classpath} over a reactor with a module per artifact (offline when the local
 * repository already has everything, which it does after the first run), then the kernel's resolver on the
 * same local repository.
 */
class MavenParityTest {

    /** Artifacts whose dependency trees differ in shape; the first three lost jars before the session fix. */
    static final List<String> ARTIFACTS = List.of(
            "com.fasterxml.jackson.core:jackson-databind:2.16.1",
            "com.google.guava:guava:33.0.0-jre",
            "org.knowm.xchart:xchart:3.8.8",
            "tech.tablesaw:tablesaw-core:0.44.4",
            "org.apache.commons:commons-lang3:3.14.0",
            "org.apache.commons:commons-text:1.11.0",
            "org.slf4j:slf4j-simple:2.0.17",
            "ch.qos.logback:logback-classic:1.4.14",
            "com.google.code.gson:gson:2.11.0",
            "org.junit.jupiter:junit-jupiter:5.14.1",
            "org.apache.httpcomponents.client5:httpclient5:5.3",
            "org.apache.maven.resolver:maven-resolver-supplier:1.9.24");

    private static Path reactor;

    @BeforeAll
    static void askMaven(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        reactor = directory;
        StringBuilder modules = new StringBuilder();
        for (int i = 0; i < ARTIFACTS.size(); i++) {
            String[] gav = ARTIFACTS.get(i).split(":");
            Path module = Files.createDirectories(directory.resolve("m" + i));
            Files.writeString(module.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                    + "<modelVersion>4.0.0</modelVersion><groupId>parity</groupId><artifactId>m" + i + "</artifactId>"
                    + "<version>1</version><packaging>pom</packaging><dependencies><dependency><groupId>" + gav[0]
                    + "</groupId><artifactId>" + gav[1] + "</artifactId><version>" + gav[2] + "</version>"
                    + "</dependency></dependencies></project>");
            modules.append("<module>m").append(i).append("</module>");
        }
        // A project whose versions come from an imported BOM and which has a profile of its own.
        Path withBom = Files.createDirectories(directory.resolve("with-bom"));
        Files.writeString(withBom.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                + "<modelVersion>4.0.0</modelVersion><groupId>parity</groupId><artifactId>with-bom</artifactId>"
                + "<version>1</version><packaging>pom</packaging><dependencyManagement><dependencies><dependency>"
                + "<groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId><version>2.16.1</version>"
                + "<type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement>"
                + "<dependencies><dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId>"
                + "</dependency><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId>"
                + "<version>5.14.1</version><scope>test</scope></dependency></dependencies><profiles><profile><id>on-17</id>"
                + "<activation><jdk>[17,)</jdk></activation><dependencies><dependency><groupId>org.apache.commons</groupId>"
                + "<artifactId>commons-lang3</artifactId><version>3.14.0</version></dependency></dependencies></profile>"
                + "</profiles></project>");
        modules.append("<module>with-bom</module>");
        Files.writeString(directory.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                + "<modelVersion>4.0.0</modelVersion><groupId>parity</groupId><artifactId>reactor</artifactId>"
                + "<version>1</version><packaging>pom</packaging><modules>" + modules + "</modules></project>");
        String localRepository = MavenResolver.defaultLocalRepository().toString();
        if (maven(directory, localRepository, true) != 0) {
            // The first run on this machine: let Maven download, once.
            int online = maven(directory, localRepository, false);
            Assumptions.assumeTrue(online == 0, "mvn could not resolve the artifacts (no network?): "
                    + Files.readString(directory.resolve("mvn.log")));
        }
    }

    /** Runs {@code mvn dependency:build-classpath} in the reactor; returns its exit status. */
    private static int maven(Path directory, String localRepository, boolean offline) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenCommand(), "-B", "-q", "-Dmaven.repo.local=" + localRepository,
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=classpath.txt", "-DincludeScope=runtime"));
        if (offline) {
            command.add(1, "-o");
        }
        Process mvn = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("mvn.log").toFile()).start();
        if (!mvn.waitFor(10, TimeUnit.MINUTES)) {
            mvn.destroyForcibly().waitFor();
            throw new AssertionError("mvn did not finish in 10 minutes");
        }
        return mvn.exitValue();
    }

    private static String mavenCommand() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "mvn"))) {
                return Path.of(directory, "mvn").toString();
            }
        }
        Assumptions.abort("no mvn on PATH to compare with");
        return null;
    }

    private static Set<String> mavensJars(int module) throws IOException {
        return mavensJars("m" + module);
    }

    private static Set<String> mavensJars(String module) throws IOException {
        Set<String> jars = new TreeSet<>();
        String classpath = Files.readString(reactor.resolve(module).resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                jars.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return jars;
    }

    private static Set<String> paths(List<Path> jars) {
        Set<String> paths = new TreeSet<>();
        jars.forEach(jar -> paths.add(jar.toAbsolutePath().normalize().toString()));
        return paths;
    }

    @ParameterizedTest(name = "%maven {0}")
    @MethodSource("artifacts")
    void mavenMagicResolvesWhatMavenResolves(String artifact) throws IOException {
        MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository());

        Set<String> kernels = paths(resolver.resolve(List.of(artifact)));

        assertEquals(mavensJars(ARTIFACTS.indexOf(artifact)), kernels);
    }

    @ParameterizedTest(name = "%loadFromPOM of a POM depending on {0}")
    @MethodSource("artifacts")
    void loadFromPomResolvesWhatMavenResolves(String artifact) throws IOException {
        MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository());
        Path modulePom = reactor.resolve("m" + ARTIFACTS.indexOf(artifact)).resolve("pom.xml");
        Set<String> kernels = paths(resolver.resolvePom(modulePom, MavenResolver.DEFAULT_SCOPES, "%loadFromPOM"));

        assertEquals(mavensJars(ARTIFACTS.indexOf(artifact)), kernels);
    }

    @org.junit.jupiter.api.Test
    void loadFromPomReadsImportedBomsAndTheProfilesOfThePomAsMavenDoes() throws IOException {
        MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository());

        Set<String> kernels = paths(resolver.resolvePom(reactor.resolve("with-bom").resolve("pom.xml"),
                MavenResolver.DEFAULT_SCOPES, "%loadFromPOM"));

        assertEquals(mavensJars("with-bom"), kernels);
    }

    @ParameterizedTest(name = "%%loadFromPOM of a pasted <dependency> on {0}")
    @MethodSource("artifacts")
    void loadFromPomCellResolvesWhatMavenResolves(String artifact) throws IOException {
        MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository());
        String[] gav = artifact.split(":");
        String cell = "<dependency>\n  <groupId>" + gav[0] + "</groupId>\n  <artifactId>" + gav[1] + "</artifactId>\n"
                + "  <version>" + gav[2] + "</version>\n</dependency>";

        Set<String> kernels = paths(resolver.resolvePastedPom(cell, reactor, MavenResolver.DEFAULT_SCOPES, "%%loadFromPOM"));

        assertEquals(mavensJars(ARTIFACTS.indexOf(artifact)), kernels);
    }

    @org.junit.jupiter.api.Test
    void loadFromPomCellReadsAPastedProjectWithItsBomAndProfilesAsMavenDoes() throws IOException {
        MavenResolver resolver = new MavenResolver(MavenResolver.defaultLocalRepository());
        String pasted = Files.readString(reactor.resolve("with-bom").resolve("pom.xml"));

        Set<String> kernels = paths(resolver.resolvePastedPom(pasted, reactor, MavenResolver.DEFAULT_SCOPES, "%%loadFromPOM"));

        assertEquals(mavensJars("with-bom"), kernels);
        try (java.util.stream.Stream<Path> left = Files.list(reactor)) {
            assertEquals(0, left.filter(f -> f.getFileName().toString().startsWith(".loadFromPOM")).count(),
                    "the scratch POM is deleted");
        }
    }

    static List<String> artifacts() {
        return ARTIFACTS;
    }
}
