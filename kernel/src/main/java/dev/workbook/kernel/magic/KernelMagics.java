package dev.workbook.kernel.magic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.CellMagic;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The kernel's magics, under IJava's and JJava's names: {@code %classpath}, {@code %jars}, {@code %maven}
 * ({@code %addMavenDependency}, {@code %addMavenDependencies}), {@code %mavenRepo} ({@code %addMavenRepo}),
 * {@code %loadFromPOM} (line and cell), {@code %load} and {@code %lsmagic}. ({@code %time} and
 * {@code %%time} are handled by the evaluator, since they time the code around them.)
 */
public final class KernelMagics {

    /** What the magics need from the kernel. */
    public interface Host {
        /** The directory relative paths are resolved against (the notebook's, as Jupyter starts the kernel there). */
        Path workingDirectory();

        /** Puts {@code entries} on the notebook class path (skipping ones already there); returns those added. */
        List<Path> addToClasspath(List<Path> entries);

        /** Evaluates code as part of the running cell. */
        Object evaluate(String code);
    }

    private static final String[] LOAD_EXTENSIONS = {"", ".jsh", ".jshell", ".java", ".ipynb"};

    private KernelMagics() {
    }

    /** Registers every magic in {@code registry}. */
    public static void register(MagicsRegistry registry, Host host, MavenResolver maven) {
        LineMagic<List<String>, BaseKernel> classpath = (kernel, args) -> classpath(host, args);
        LineMagic<List<String>, BaseKernel> jars = (kernel, args) -> jars(host, args);
        LineMagic<List<String>, BaseKernel> addMaven = (kernel, args) -> {
            if (args.isEmpty()) {
                throw new MagicException("%maven: give one or more coordinates, e.g. %maven org.knowm.xchart:xchart:3.8.8");
            }
            return added(host.addToClasspath(maven.resolve(args)));
        };
        LineMagic<Void, BaseKernel> mavenRepo = (kernel, args) -> {
            if (args.size() != 2) {
                throw new MagicException("%mavenRepo: give an id and a URL, e.g."
                        + " %mavenRepo jitpack https://jitpack.io");
            }
            maven.addRepository(args.get(0), args.get(1));
            return null;
        };
        LineMagic<List<String>, BaseKernel> loadFromPomFile = (kernel, args) -> {
            if (args.isEmpty()) {
                throw new MagicException("%loadFromPOM: give the path of a pom.xml (and optionally scopes)");
            }
            Path pom = host.workingDirectory().resolve(args.get(0));
            return added(host.addToClasspath(maven.resolvePom(pom, scopes(args.subList(1, args.size())), "%loadFromPOM")));
        };
        CellMagic<List<String>, BaseKernel> loadFromPomCell = (kernel, args, body) -> added(host.addToClasspath(
                maven.resolvePastedPom(body, host.workingDirectory(), scopes(args), "%%loadFromPOM")));
        LineMagic<Void, BaseKernel> load = (kernel, args) -> {
            load(host, args);
            return null;
        };
        LineMagic<Void, BaseKernel> lsmagic = (kernel, args) -> {
            Set<String> line = new TreeSet<>(registry.getLineMagicNames());
            line.add("time");
            Set<String> cell = new TreeSet<>(registry.getCellMagicNames());
            cell.add("time");
            System.out.println("Line magics: " + line.stream().map(n -> "%" + n).collect(Collectors.joining(" ")));
            System.out.println("Cell magics: " + cell.stream().map(n -> "%%" + n).collect(Collectors.joining(" ")));
            return null;
        };

        registry.registerLineMagic("classpath", classpath);
        registry.registerLineMagic("jars", jars);
        registry.registerLineMagic("maven", addMaven);
        registry.registerLineMagic("addMavenDependency", addMaven);
        registry.registerLineMagic("addMavenDependencies", addMaven);
        registry.registerLineMagic("mavenRepo", mavenRepo);
        registry.registerLineMagic("addMavenRepo", mavenRepo);
        registry.registerLineMagic("loadFromPOM", loadFromPomFile);
        registry.registerCellMagic("loadFromPOM", loadFromPomCell);
        registry.registerLineMagic("load", load);
        registry.registerLineMagic("lsmagic", lsmagic);
    }

    /** The existing paths that a path or glob names (the class path variables use this). */
    public static List<Path> expandPaths(String pattern, Path base) {
        return PathGlobs.expand(pattern, base);
    }

    static List<String> classpath(Host host, List<String> patterns) {
        List<Path> entries = new ArrayList<>();
        for (String pattern : requirePatterns("classpath", patterns)) {
            List<Path> matches = PathGlobs.expand(pattern, host.workingDirectory());
            if (matches.isEmpty()) {
                throw nothingMatches("classpath", pattern, host);
            }
            entries.addAll(matches);
        }
        return added(host.addToClasspath(entries));
    }

    static List<String> jars(Host host, List<String> patterns) {
        List<Path> entries = new ArrayList<>();
        for (String pattern : requirePatterns("jars", patterns)) {
            List<Path> matches = PathGlobs.jars(pattern, host.workingDirectory());
            if (matches.isEmpty()) {
                throw nothingMatches("jars", pattern, host);
            }
            entries.addAll(matches);
        }
        return added(host.addToClasspath(entries));
    }

    private static List<String> requirePatterns(String magic, List<String> patterns) {
        if (patterns.isEmpty()) {
            throw new MagicException("%" + magic + ": give one or more paths; * and ? match within a name,"
                    + " ** across directories, e.g. %" + magic + " ../lib/target/*.jar");
        }
        return patterns;
    }

    private static MagicException nothingMatches(String magic, String pattern, Host host) {
        return new MagicException("%" + magic + ": nothing matches '" + pattern + "' (relative paths start at "
                + host.workingDirectory() + "). Check the path, or build what should be there first.");
    }

    private static Set<String> scopes(List<String> args) {
        return args.isEmpty() ? MavenResolver.DEFAULT_SCOPES : new LinkedHashSet<>(args);
    }

    private static List<String> added(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.toList());
    }

    static void load(Host host, List<String> args) throws IOException {
        if (args.size() != 1) {
            throw new MagicException("%load: give one file, e.g. %load helpers.jsh");
        }
        Path given = host.workingDirectory().resolve(args.get(0));
        for (String extension : LOAD_EXTENSIONS) {
            Path file = given.resolveSibling(given.getFileName() + extension);
            if (Files.isRegularFile(file)) {
                if (file.getFileName().toString().endsWith(".ipynb")) {
                    for (String cell : codeCells(file)) {
                        host.evaluate(cell);
                    }
                } else {
                    host.evaluate(Files.readString(file));
                }
                return;
            }
        }
        throw new MagicException("%load: there is no file " + given + " (also tried the extensions .jsh, .jshell, .java, .ipynb)");
    }

    /** The sources of a notebook's code cells, in order. */
    static List<String> codeCells(Path notebook) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
        List<String> cells = new ArrayList<>();
        JsonArray all = root.has("cells") ? root.getAsJsonArray("cells") : new JsonArray();
        for (JsonElement element : all) {
            JsonObject cell = element.getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            JsonElement source = cell.get("source");
            if (source.isJsonArray()) {
                StringBuilder text = new StringBuilder();
                source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
                cells.add(text.toString());
            } else {
                cells.add(source.getAsString());
            }
        }
        return cells;
    }
}
