package dev.workbook.kernel.magic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Expands the file patterns that {@code %jars} and {@code %classpath} take: {@code *} and {@code ?} within a
 * name, {@code **} across directories, {@code {a,b}} alternatives, {@code ~} for the home directory. A
 * relative pattern is relative to the kernel's working directory, which Jupyter sets to the notebook's
 * directory. {@code /} separates names on every platform.
 */
final class PathGlobs {

    private PathGlobs() {
    }

    /** The existing paths that match {@code pattern}, in name order; empty if none does. */
    static List<Path> expand(String pattern, Path base) {
        String expanded = pattern.startsWith("~/") || pattern.equals("~")
                ? System.getProperty("user.home") + pattern.substring(1) : pattern;
        String[] parts = expanded.split("/", -1);
        int literal = 0;
        while (literal < parts.length && !hasWildcard(parts[literal])) {
            literal++;
        }
        Path root = expanded.startsWith("/") ? Path.of("/") : base;
        Path fixed = root;
        for (int i = 0; i < literal; i++) {
            if (!parts[i].isEmpty()) {
                fixed = fixed.resolve(parts[i]);
            }
        }
        if (literal == parts.length) {
            return Files.exists(fixed) ? List.of(fixed.normalize()) : List.of();
        }
        if (!Files.isDirectory(fixed)) {
            return List.of();
        }
        String rest = String.join("/", java.util.Arrays.asList(parts).subList(literal, parts.length));
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - literal;
        Path start = fixed;
        try (Stream<Path> walk = Files.walk(start, depth)) {
            return walk.filter(p -> !p.equals(start))
                    .filter(p -> matcher.matches(start.relativize(p)))
                    .map(Path::normalize)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar files that {@code pattern} names: matching jars, and the jars directly inside matching directories. */
    static List<Path> jars(String pattern, Path base) {
        List<Path> jars = new ArrayList<>();
        for (Path match : expand(pattern, base)) {
            if (Files.isDirectory(match)) {
                try (Stream<Path> inside = Files.list(match)) {
                    inside.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                jars.add(match);
            }
        }
        return jars;
    }

    private static boolean hasWildcard(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('{') >= 0 || name.indexOf('[') >= 0;
    }
}
