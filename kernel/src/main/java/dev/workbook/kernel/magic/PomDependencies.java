package dev.workbook.kernel.magic;

import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependencies and repositories that a {@code %%loadFromPOM} cell pastes ({@code <dependency>} and
 * {@code <repository>} elements, loose or inside their usual parents, or a whole {@code <project>}).
 * A POM file ({@code %loadFromPOM pom.xml}) is read by {@link MavenResolver#resolvePom} instead, with
 * Maven's own model builder.
 *
 * <p>Versions may come from {@code <properties>} and {@code <dependencyManagement>} of a pasted project and
 * of its parents found through {@code <relativePath>} (default {@code ../pom.xml}); a parent that is only in
 * a repository, imported BOMs and profiles are not read here: save such a POM as a file and load that.
 */
final class PomDependencies {

    static final Set<String> DEFAULT_SCOPES = Set.of("compile", "runtime", "system", "import");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    final List<Dependency> dependencies = new ArrayList<>();
    final List<Path> systemJars = new ArrayList<>();
    final List<RemoteRepository> repositories = new ArrayList<>();

    private PomDependencies() {
    }

    /** Reads what a {@code %%loadFromPOM} cell holds; {@code base} resolves a whole project's relative parent. */
    static PomDependencies fromFragment(String xml, Path base, Set<String> scopes) {
        PomDependencies result = new PomDependencies();
        if (xml.contains("<project")) {
            result.read(parse(xml, "the cell").getDocumentElement(), base, scopes);
            return result;
        }
        Element root = parse("<fragment>" + xml.replaceFirst("^\\s*<\\?xml[^>]*\\?>", "") + "</fragment>", "the cell")
                .getDocumentElement();
        Map<String, String> properties = new HashMap<>();
        for (Element repository : descendants(root, "repository")) {
            result.addRepository(repository, properties);
        }
        for (Element dependency : descendants(root, "dependency")) {
            result.addDependency(dependency, properties, Map.of(), scopes, "the cell", base);
        }
        return result;
    }

    private void read(Element project, Path directory, Set<String> scopes) {
        Map<String, String> properties = new HashMap<>();
        Map<String, String> managedVersions = new HashMap<>();
        collectInherited(project, directory, properties, managedVersions, 0);
        Element repositoriesElement = child(project, "repositories");
        if (repositoriesElement != null) {
            for (Element repository : children(repositoriesElement, "repository")) {
                addRepository(repository, properties);
            }
        }
        Element dependenciesElement = child(project, "dependencies");
        if (dependenciesElement != null) {
            for (Element dependency : children(dependenciesElement, "dependency")) {
                addDependency(dependency, properties, managedVersions, scopes, "the POM", directory);
            }
        }
    }

    /** Properties and managed versions of {@code project} and its parents, the child's winning. */
    private static void collectInherited(Element project, Path directory, Map<String, String> properties,
                                         Map<String, String> managed, int depth) {
        Element parent = child(project, "parent");
        if (parent != null && depth < 10) {
            String relative = text(parent, "relativePath");
            Path parentPom = directory.resolve(relative == null ? "../pom.xml" : relative).normalize();
            if (Files.isDirectory(parentPom)) {
                parentPom = parentPom.resolve("pom.xml");
            }
            if (Files.isRegularFile(parentPom)) {
                collectInherited(parse(read(parentPom), parentPom.toString()).getDocumentElement(),
                        parentPom.getParent(), properties, managed, depth + 1);
            }
        }
        String groupId = text(project, "groupId");
        String version = text(project, "version");
        if (parent != null) {
            groupId = groupId != null ? groupId : text(parent, "groupId");
            version = version != null ? version : text(parent, "version");
        }
        if (groupId != null) {
            properties.put("project.groupId", groupId);
        }
        if (version != null) {
            properties.put("project.version", version);
        }
        Element props = child(project, "properties");
        if (props != null) {
            for (Element property : children(props, null)) {
                properties.put(property.getTagName(), property.getTextContent().trim());
            }
        }
        Element management = child(project, "dependencyManagement");
        Element managedDependencies = management == null ? null : child(management, "dependencies");
        if (managedDependencies != null) {
            for (Element dependency : children(managedDependencies, "dependency")) {
                String key = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
                String managedVersion = text(dependency, "version");
                if (managedVersion != null) {
                    managed.put(key, managedVersion);
                }
            }
        }
    }

    private void addDependency(Element element, Map<String, String> properties, Map<String, String> managed,
                               Set<String> scopes, String source, Path base) {
        String groupId = interpolate(text(element, "groupId"), properties);
        String artifactId = interpolate(text(element, "artifactId"), properties);
        if (groupId == null || artifactId == null) {
            throw new MagicException("%loadFromPOM: a <dependency> in " + source + " has no groupId or artifactId");
        }
        String scope = orDefault(interpolate(text(element, "scope"), properties), "compile");
        if (!scopes.contains(scope)) {
            return;
        }
        String version = text(element, "version");
        if (version == null) {
            version = managed.get(text(element, "groupId") + ":" + text(element, "artifactId"));
        }
        version = interpolate(version, properties);
        if (version == null || version.contains("${")) {
            throw new MagicException("%loadFromPOM: the version of " + groupId + ":" + artifactId + " is not given in "
                    + source + " (a parent POM outside the file tree or an imported BOM is not read); write it out");
        }
        if ("system".equals(scope)) {
            String systemPath = interpolate(text(element, "systemPath"), properties);
            if (systemPath != null) {
                systemJars.add(base.resolve(systemPath));
            }
            return;
        }
        String type = orDefault(interpolate(text(element, "type"), properties), "jar");
        String classifier = orDefault(interpolate(text(element, "classifier"), properties), "");
        List<Exclusion> exclusions = new ArrayList<>();
        Element exclusionsElement = child(element, "exclusions");
        if (exclusionsElement != null) {
            for (Element exclusion : children(exclusionsElement, "exclusion")) {
                exclusions.add(new Exclusion(orDefault(text(exclusion, "groupId"), "*"),
                        orDefault(text(exclusion, "artifactId"), "*"), "*", "*"));
            }
        }
        boolean optional = "true".equals(text(element, "optional"));
        dependencies.add(new Dependency(new DefaultArtifact(groupId, artifactId, classifier,
                "test-jar".equals(type) ? "jar" : type, version), scope, optional, exclusions));
    }

    private void addRepository(Element element, Map<String, String> properties) {
        String id = interpolate(text(element, "id"), properties);
        String url = interpolate(text(element, "url"), properties);
        if (url == null) {
            throw new MagicException("%loadFromPOM: a <repository> has no <url>");
        }
        repositories.add(new RemoteRepository.Builder(id == null ? url : id, "default", url).build());
    }

    private static String interpolate(String value, Map<String, String> properties) {
        if (value == null) {
            return null;
        }
        String result = value;
        for (int round = 0; round < 10 && result.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(result);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = properties.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(replacement != null ? replacement : m.group()));
            }
            m.appendTail(out);
            if (out.toString().equals(result)) {
                break;
            }
            result = out.toString();
        }
        return result;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new MagicException("%loadFromPOM: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Document parse(String xml, String source) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new MagicException("%loadFromPOM: " + source + " is not well-formed XML: " + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(((Element) n).getTagName())) {
                return (Element) n;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && (name == null || name.equals(((Element) n).getTagName()))) {
                found.add((Element) n);
            }
        }
        return found;
    }

    private static List<Element> descendants(Element root, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            // skip dependencies nested in exclusions or plugins' own configuration
            if (e.getParentNode() instanceof Element && "exclusions".equals(((Element) e.getParentNode()).getTagName())) {
                continue;
            }
            found.add(e);
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
