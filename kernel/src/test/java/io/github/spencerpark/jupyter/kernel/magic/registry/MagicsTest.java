package io.github.spencerpark.jupyter.kernel.magic.registry;

import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IJava's magics API registers into the kernel's registry, and says what is wrong with a bad magic class. */
class MagicsTest {

    private final MagicsRegistry registry = new MagicsRegistry();
    private final Magics magics = new Magics(registry);

    public static class Annotated {
        @LineMagic(aliases = {"greet"})
        public String hello(List<String> args) {
            return "hello " + String.join(",", args);
        }

        @CellMagic("upper")
        static String upper(List<String> args, String body) {
            return body.toUpperCase();
        }
    }

    public static class WrongParameters {
        @LineMagic
        public String line(String notAList) {
            return notAList;
        }
    }

    @Test
    void annotatedMethodsAreRegisteredUnderTheirNamesAndAliases() throws Exception {
        magics.registerMagics(new Annotated());

        assertEquals(java.util.Set.of("hello", "greet"), registry.getLineMagicNames());
        assertEquals("hello a,b", registry.evalLineMagic(null, "greet", List.of("a", "b")));
        assertEquals("BODY", registry.evalCellMagic(null, "upper", List.of(), "body"));
    }

    @Test
    void aLambdaIsALineMagic() throws Exception {
        magics.registerLineMagic("count", args -> args.size());

        assertEquals(2, (int) registry.evalLineMagic(null, "count", List.of("x", "y")));
    }

    @Test
    void aClassWithInstanceMethodsMustBeRegisteredAsAnInstance() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> magics.registerMagics(Annotated.class));

        assertTrue(error.getMessage().contains("is not static") && error.getMessage().contains("registerMagics(new Annotated())"),
                error.getMessage());
    }

    @Test
    void aMethodWithTheWrongParametersIsNamedAndNothingIsRegistered() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> magics.registerMagics(new WrongParameters()));

        assertTrue(error.getMessage().contains("WrongParameters.line must take (List<String> args)"), error.getMessage());
        assertTrue(registry.getLineMagicNames().isEmpty());
    }

    @Test
    void aNameThatCannotFollowAPercentSignIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> magics.registerLineMagic("two words", args -> null));

        assertTrue(error.getMessage().contains("'two words' cannot be a magic's name"), error.getMessage());
    }
}
