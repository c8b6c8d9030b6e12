package dev.workbook.kernel.eval;

import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The start-up answer to {@code is_complete} agrees with JShell's on the cells it claims to judge: open
 * brackets, comments and text blocks, trailing operators, control statements without a body, magics.
 */
class QuickCompletenessTest {

    private static JShell jshell;
    private static CodeIntelligence intelligence;

    @BeforeAll
    static void startJShell() {
        jshell = JShell.builder().executionEngine("local").build();
        intelligence = new CodeIntelligence(jshell, Set::of, Set::of);
        // The names the cells use, so that JShell judges their syntax, not unknown names.
        for (String declaration : new String[]{"import java.util.*;", "int i = 0;", "boolean a = true, ready = true;",
                "int[] arr = new int[1];", "void b() {}", "void f() {}"}) {
            jshell.eval(declaration);
        }
    }

    @AfterAll
    static void closeJShell() {
        jshell.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "1 + 1", "int x = 1;", "int x = 1", "System.out.println(\"a;b\")",
            "for (int i = 0; i < 3; i++) {", "for (int i = 0; i < 3; i++) {\n    System.out.println(i);",
            "for (int i = 0; i < 3; i++) {\n    System.out.println(i);\n}", "void f() {\n  if (true) {\n",
            "List.of(1,\n  2", "int y = 1 +", "x.", "s ->", "Map.of(1, 2)", "i++", "i--",
            "/* open comment", "/* closed */ 1", "// only a comment", "String s = \"\"\"\n  text", 
            "String s = \"\"\"\n  text\n  \"\"\";", "char c = '}';", "String s = \"{\";",
            "if (ready)", "while (true)", "if (a) b();", "new", "class A extends",
            "%jars lib/*.jar", "%%time\nfor (int i = 0; i < 3; i++) {", "%time 1 + 1",
            "int x = (1 + 2));", "String s = \"unterminated;", "int[] a = {1, 2};", "arr[0] = 1",
            "try {\n  f();\n} catch (Exception e) {\n}", "record P(int x, int y) {}"})
    void agreesWithJShell(String cell) {
        assertEquals(intelligence.isComplete(cell), QuickCompleteness.isComplete(cell), "for the cell: " + cell);
    }
}
