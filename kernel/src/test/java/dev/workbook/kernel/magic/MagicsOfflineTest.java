package dev.workbook.kernel.magic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** %maven without a network says so; POM fragments and files give the dependencies they declare. */
class MagicsOfflineTest {

    @Test
    void anUnreachableRepositoryGivesAnErrorThatSaysSo(@TempDir Path emptyLocalRepository) {
        MavenResolver resolver = new MavenResolver(emptyLocalRepository, "http://127.0.0.1:9/unreachable/");

        MagicException error = assertThrows(MagicException.class,
                () -> resolver.resolve(List.of("org.example:not-here:1.0")));

        assertTrue(error.getMessage().contains("cannot be reached"), error.getMessage());
        assertTrue(error.getMessage().contains("not in the local repository " + emptyLocalRepository), error.getMessage());
        assertTrue(error.getMessage().contains("%jars"), "it says what to do: " + error.getMessage());
    }

    @Test
    void aMalformedCoordinateIsRejectedWithAnExample(@TempDir Path repository) {
        MagicException error = assertThrows(MagicException.class,
                () -> new MavenResolver(repository).resolve(List.of("just-a-name")));

        assertTrue(error.getMessage().contains("group:artifact:version"), error.getMessage());
    }

    @Test
    void looseDependencyAndRepositoryElementsAreCollected(@TempDir Path dir) {
        PomDependencies pom = PomDependencies.fromFragment("<repository><id>r</id><url>https://repo.example/</url></repository>\n"
                + "<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.2</version></dependency>\n"
                + "<dependency><groupId>g</groupId><artifactId>t</artifactId><version>1</version><scope>test</scope></dependency>",
                dir, PomDependencies.DEFAULT_SCOPES);

        assertEquals(1, pom.dependencies.size(), "the test-scoped one is left out");
        assertEquals("g:a:jar:1.2", pom.dependencies.get(0).getArtifact().toString());
        assertEquals("https://repo.example/", pom.repositories.get(0).getUrl());
    }

    @Test
    void globsMatchWithinAndAcrossDirectories(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib/deep"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/b.txt"), "");
        Files.writeString(dir.resolve("lib/deep/c.jar"), "");

        assertEquals(List.of(dir.resolve("lib/a.jar")), PathGlobs.expand("lib/*.jar", dir));
        assertEquals(List.of(dir.resolve("lib/a.jar"), dir.resolve("lib/deep/c.jar")), PathGlobs.expand("lib/**.jar", dir));
        assertEquals(List.of(dir.resolve("lib/a.jar")), PathGlobs.jars("lib", dir), "a directory stands for its jars");
    }
}
