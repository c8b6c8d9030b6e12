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
    void looseFragmentsOfACellBecomeTheDependenciesAndRepositoriesOfAProject() {
        String project = PastedPom.toProject("<repository><id>r</id><url>https://repo.example/</url></repository>\n"
                + "<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.2</version></dependency>\n"
                + "<properties><v>1</v></properties>");

        assertTrue(project.contains("<dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>"), project);
        assertTrue(project.contains("<repositories><repository><id>r</id>"), project);
        assertTrue(project.contains("<properties><v>1</v></properties>"), "other elements stay project elements: " + project);
        assertTrue(project.contains("<modelVersion>4.0.0</modelVersion>"), project);
    }

    @Test
    void aCellThatIsNotXmlIsRefusedSayingWhatToPaste() {
        MagicException error = assertThrows(MagicException.class, () -> PastedPom.toProject("g:a:1.2"));

        assertTrue(error.getMessage().contains("<dependency>"), error.getMessage());
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
