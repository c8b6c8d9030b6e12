package dev.workbook.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The JBang programs compile the library from source: {@code jbang-programs/Workbook.java} names its
 * dependencies ({@code //DEPS}) and source directories ({@code //SOURCES}) by hand. These tests hold
 * it to the poms and the source tree, so a version bump, a new dependency or a new package that the
 * programs would miss fails here instead of at a reader's first {@code jbang} run.
 */
class JBangDirectivesTest {

    /** For notebook kernels only: needs the JJava API, which the programs do not have. */
    private static final String KERNEL_ONLY_PACKAGE = "lib/src/main/java/dev/workbook/display";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DIRECTIVES = ROOT.resolve("jbang-programs/Workbook.java");
    /** The cluster module's directives, for the programs that use a cluster. */
    private static final Path CLUSTER_DIRECTIVES = ROOT.resolve("jbang-programs/WorkbookCluster.java");
    private static final Pattern DEPENDENCY = Pattern.compile("^//DEPS ([^:\\s]+):([^:\\s]+):(\\S+)$");
    private static final Pattern SOURCES = Pattern.compile("^//SOURCES \\.\\./(\\S+)/\\*\\.java$");
    private static final Pattern FILES = Pattern.compile("^//FILES \\S+=\\.\\./(\\S+)$");

    @Test
    void everyDependencyHasThePomsVersion() throws Exception {
        Map<String, String> managed = managedVersions();
        Map<String, String> declared = directives(DEPENDENCY, m -> m.group(1) + ":" + m.group(2), m -> m.group(3));
        assertTrue(!declared.isEmpty(), "no //DEPS lines in " + DIRECTIVES);
        declared.forEach((artifact, version) -> assertEquals(managed.get(artifact), version,
                artifact + " in " + DIRECTIVES + " is not the version the root pom manages"));
    }

    @Test
    void everyDependencyTheLibraryUsesAtRunTimeIsDeclared() throws Exception {
        Map<String, String> declared = directives(DEPENDENCY, m -> m.group(1) + ":" + m.group(2), m -> m.group(3));
        for (String artifact : runtimeDependencies(ROOT.resolve("lib/pom.xml"))) {
            assertTrue(declared.containsKey(artifact), artifact + " is a dependency of lib/pom.xml but has no //DEPS line in "
                    + DIRECTIVES + ": the JBang programs would not compile or run without it");
        }
    }

    @Test
    void everyPackageOfTheLibraryAndTheLessonIsCompiledIntoThePrograms() throws Exception {
        TreeSet<String> listed = new TreeSet<>(directives(SOURCES, m -> m.group(1), m -> "").keySet());
        TreeSet<String> packages = new TreeSet<>();
        for (String module : List.of("lib", "lesson")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module + "/src/main/java"))) {
                files.filter(file -> file.toString().endsWith(".java"))
                        .map(file -> ROOT.relativize(file.getParent()).toString())
                        .filter(directory -> !directory.equals(KERNEL_ONLY_PACKAGE))
                        .forEach(packages::add);
            }
        }
        assertEquals(packages, listed, "the //SOURCES lines of " + DIRECTIVES + " must name every package directory"
                + " (but " + KERNEL_ONLY_PACKAGE + "), and only those");
    }

    @Test
    void theClusterDirectivesDeclareTheClusterModulesDependenciesWithThePomsVersions() throws Exception {
        Map<String, String> managed = managedVersions();
        Map<String, String> declared = directives(CLUSTER_DIRECTIVES, DEPENDENCY, m -> m.group(1) + ":" + m.group(2), m -> m.group(3));
        declared.forEach((artifact, version) -> assertEquals(managed.get(artifact), version,
                artifact + " in " + CLUSTER_DIRECTIVES + " is not the version the root pom manages"));
        for (String artifact : runtimeDependencies(ROOT.resolve("cluster/pom.xml"))) {
            if (!artifact.equals("dev.workbook:workbook-lib")) { // lib comes as sources, through Workbook.java
                assertTrue(declared.containsKey(artifact), artifact + " is a dependency of cluster/pom.xml but has no //DEPS line in "
                        + CLUSTER_DIRECTIVES);
            }
        }
    }

    @Test
    void theClusterDirectivesCompileTheLibraryAndEveryPackageOfTheClusterModule() throws Exception {
        Map<String, String> sources = directives(CLUSTER_DIRECTIVES, Pattern.compile("^//SOURCES (\\S+)$"), m -> m.group(1), m -> "");
        assertTrue(sources.containsKey("Workbook.java"), CLUSTER_DIRECTIVES + " must pull in Workbook.java, the library");
        TreeSet<String> listed = new TreeSet<>(directives(CLUSTER_DIRECTIVES, SOURCES, m -> m.group(1), m -> "").keySet());
        TreeSet<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("cluster/src/main/java"))) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> ROOT.relativize(file.getParent()).toString())
                    .forEach(packages::add);
        }
        assertEquals(packages, listed, "the //SOURCES lines of " + CLUSTER_DIRECTIVES + " must name every package directory of cluster/");
    }

    @Test
    void everyResourceNamedForTheProgramsExists() throws Exception {
        for (String file : directives(FILES, m -> m.group(1), m -> "").keySet()) {
            assertTrue(Files.isRegularFile(ROOT.resolve(file)), "//FILES names " + file + ", which does not exist");
        }
    }

    @Test
    void everyScriptTheCatalogNamesExists() throws Exception {
        Matcher ref = Pattern.compile("\"script-ref\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(Files.readString(ROOT.resolve("jbang-catalog.json")));
        int aliases = 0;
        while (ref.find()) {
            aliases++;
            assertTrue(Files.isRegularFile(ROOT.resolve(ref.group(1))),
                    "jbang-catalog.json names " + ref.group(1) + ", which does not exist");
        }
        assertTrue(aliases > 0, "no script-ref found in jbang-catalog.json");
    }

    private interface Group {
        String of(Matcher matcher);
    }

    private static Map<String, String> directives(Pattern pattern, Group key, Group value) throws IOException {
        return directives(DIRECTIVES, pattern, key, value);
    }

    private static Map<String, String> directives(Path file, Pattern pattern, Group key, Group value) throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher matcher = pattern.matcher(line.strip());
            if (matcher.matches()) {
                found.put(key.of(matcher), value.of(matcher));
            }
        }
        return found;
    }

    /** groupId:artifactId to version, from the root pom's dependencyManagement, properties resolved. */
    private static Map<String, String> managedVersions() throws Exception {
        Document pom = read(ROOT.resolve("pom.xml"));
        Map<String, String> properties = new LinkedHashMap<>();
        Element propertiesElement = (Element) pom.getElementsByTagName("properties").item(0);
        for (Node node = propertiesElement.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element property) {
                properties.put(property.getTagName(), property.getTextContent().strip());
            }
        }
        Map<String, String> versions = new LinkedHashMap<>();
        Element management = (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList dependencies = management.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String version = child(dependency, "version");
            Matcher property = Pattern.compile("\\$\\{(.+)}").matcher(version);
            versions.put(child(dependency, "groupId") + ":" + child(dependency, "artifactId"),
                    property.matches() ? properties.get(property.group(1)) : version);
        }
        return versions;
    }

    /** The compile and runtime dependencies a module's pom declares (not provided, not test). */
    private static List<String> runtimeDependencies(Path pomFile) throws Exception {
        Element dependencies = (Element) read(pomFile).getElementsByTagName("dependencies").item(0);
        NodeList list = dependencies.getElementsByTagName("dependency");
        List<String> artifacts = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element dependency = (Element) list.item(i);
            String scope = child(dependency, "scope");
            if (scope.isEmpty() || scope.equals("compile") || scope.equals("runtime")) {
                artifacts.add(child(dependency, "groupId") + ":" + child(dependency, "artifactId"));
            }
        }
        return artifacts;
    }

    private static String child(Element element, String tag) {
        NodeList nodes = element.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }

    private static Document read(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
