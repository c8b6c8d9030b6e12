package dev.workbook.kernel.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Magics become Java calls line for line, so that errors keep pointing at the cell's lines. */
class MagicSyntaxTest {

    private static final String API = "dev.workbook.kernel.Notebook";

    @Test
    void aLineMagicOnItsOwnLineBecomesACallWhoseValueIsNotShown() {
        assertEquals("  " + API + ".lineMagic(\"maven\", java.util.List.of(\"g:a:1\"));{};",
                MagicSyntax.toJava("  %maven g:a:1"));
    }

    @Test
    void aLineMagicAsTheValueOfAnAssignmentKeepsItsValue() {
        assertEquals("List<String> added = " + API + ".lineMagic(\"jars\", java.util.List.of(\"lib/*.jar\"));",
                MagicSyntax.toJava("List<String> added = %jars lib/*.jar"));
    }

    @Test
    void percentSignsInsideStringLiteralsAreLeftAlone() {
        String code = "String f = String.format(\"a=%d\", 3);";

        assertEquals(code, MagicSyntax.toJava(code));
    }

    @Test
    void aCellMagicTakesTheBodyAndKeepsTheNumberOfLines() {
        String cell = "%%loadFromPOM compile\n<dependency>\n  <artifactId>x</artifactId>\n</dependency>";

        String java = MagicSyntax.toJava(cell);

        assertEquals(cell.split("\n", -1).length, java.split("\n", -1).length);
        assertTrue(java.startsWith(API + ".cellMagic(\"loadFromPOM\", java.util.List.of(\"compile\"), \"<dependency>\\n"), java);
    }

    @Test
    void argumentsSplitAtSpacesWithQuotesAndBackslashesAsInIJava() {
        assertEquals(List.of("a", "b c", "d\"e", ""), MagicSyntax.splitArguments("a \"b c\" d\\\"e \"\""));
    }

    @Test
    void javaCodeIsNotTouched() {
        String code = "int x = 5 % 3;\nfor (int i = 0; i < x; i++) {\n  System.out.println(i);\n}";

        assertEquals(code, MagicSyntax.toJava(code));
    }
}
