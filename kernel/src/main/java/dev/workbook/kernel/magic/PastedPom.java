package dev.workbook.kernel.magic;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The POM that a {@code %%loadFromPOM} cell stands for, as text for Maven's own model builder
 * ({@link MavenResolver#resolvePastedPom}): a pasted {@code <project>} as it is (with the
 * {@code modelVersion} and coordinates Maven requires filled in when left out), or POM fragments
 * wrapped in a project: loose {@code <dependency>} and {@code <repository>} elements, their usual parents
 * {@code <dependencies>} and {@code <repositories>}, and any other project element ({@code <properties>},
 * {@code <dependencyManagement>}, {@code <parent>}, {@code <profiles>}...) where Maven expects it.
 * There is no second reader of POMs: what the cell means is what Maven makes of that project.
 */
final class PastedPom {

    private static final String MAGIC = "%%loadFromPOM";

    private PastedPom() {
    }

    /**
     * The project for the cell's XML.
     *
     * @throws MagicException if the cell is not well-formed XML, or holds text outside elements
     */
    static String toProject(String cell) {
        String xml = cell.strip().replaceFirst("^<\\?xml[^>]*\\?>", "");
        if (xml.isEmpty()) {
            throw new MagicException(MAGIC + ": the cell is empty; paste <dependency> elements or a <project>");
        }
        Element pasted = parse("<fragment>" + xml + "</fragment>").getDocumentElement();
        List<Element> elements = topLevelElements(pasted);
        if (elements.size() == 1 && elements.get(0).getTagName().equals("project")) {
            Element project = elements.get(0);
            completeCoordinates(project);
            return serialize(project);
        }
        Document document = pasted.getOwnerDocument();
        Element project = document.createElement("project");
        completeCoordinates(project);
        Element dependencies = document.createElement("dependencies");
        Element repositories = document.createElement("repositories");
        for (Element element : elements) {
            switch (element.getTagName()) {
                case "project":
                    throw new MagicException(MAGIC + ": a <project> must be the cell's only element; paste either"
                            + " a whole POM or fragments of one");
                case "dependency":
                    dependencies.appendChild(element);
                    break;
                case "repository":
                    repositories.appendChild(element);
                    break;
                case "dependencies":
                    moveChildren(element, dependencies);
                    break;
                case "repositories":
                    moveChildren(element, repositories);
                    break;
                default:
                    project.appendChild(element);
            }
        }
        project.appendChild(dependencies);
        project.appendChild(repositories);
        return serialize(project);
    }

    private static List<Element> topLevelElements(Element pasted) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = pasted.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element) {
                elements.add((Element) node);
            } else if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                throw new MagicException(MAGIC + ": the cell holds text outside XML elements ('"
                        + node.getTextContent().strip() + "'); paste <dependency> elements or a <project>");
            }
        }
        return elements;
    }

    /** What Maven requires of any project, for a pasted one that leaves it out (it names no artifact of its own). */
    private static void completeCoordinates(Element project) {
        boolean hasParent = child(project, "parent") != null;
        addIfMissing(project, "modelVersion", "4.0.0");
        if (!hasParent) {
            addIfMissing(project, "groupId", "workbook.notebook");
            addIfMissing(project, "version", "0");
        }
        addIfMissing(project, "artifactId", "loadFromPOM-cell");
    }

    private static void addIfMissing(Element project, String name, String value) {
        if (child(project, name) == null) {
            Element element = project.getOwnerDocument().createElement(name);
            element.setTextContent(value);
            project.insertBefore(element, project.getFirstChild());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && ((Element) node).getTagName().equals(name)) {
                return (Element) node;
            }
        }
        return null;
    }

    private static void moveChildren(Element from, Element to) {
        while (from.getFirstChild() != null) {
            to.appendChild(from.getFirstChild());
        }
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new MagicException(MAGIC + ": the cell is not well-formed XML: " + e.getMessage());
        }
    }

    private static String serialize(Element project) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "no");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter text = new StringWriter();
            transformer.transform(new DOMSource(project), new StreamResult(text));
            return text.toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the POM of a %%loadFromPOM cell", e);
        }
    }
}
