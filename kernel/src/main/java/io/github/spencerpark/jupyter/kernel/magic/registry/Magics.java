package io.github.spencerpark.jupyter.kernel.magic.registry;

import dev.workbook.kernel.Notebook;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's magics with IJava's API ({@code getKernelInstance().getMagics()}). Everything registered
 * here goes into the kernel's one registry: {@code %lsmagic} lists it and completion offers it. A name
 * registered again replaces the earlier magic, as in IJava.
 *
 * <p>Registration is for the cell's thread (magics run on it); the registry is the base library's.
 */
public final class Magics {

    private final MagicsRegistry registry;

    public Magics(MagicsRegistry registry) {
        this.registry = registry;
    }

    /** Registers {@code magic} as {@code %name}. */
    public <T> void registerLineMagic(String name, LineMagicFunction<T> magic) {
        registry.registerLineMagic(checkedName(name), (kernel, args) -> magic.execute(args));
    }

    /** Registers {@code magic} as {@code %%name}. */
    public <T> void registerCellMagic(String name, CellMagicFunction<T> magic) {
        registry.registerCellMagic(checkedName(name), (kernel, args, body) -> magic.execute(args, body));
    }

    /**
     * Registers the {@link LineMagic} and {@link CellMagic} methods of {@code magics}: of its class, with
     * {@code magics} as the receiver; of the class itself when {@code magics} is a {@code Class}, whose
     * methods must then be static.
     *
     * @throws IllegalArgumentException naming the method when one has the wrong parameters, or is an
     *                                  instance method of a class given as a {@code Class}
     */
    public void registerMagics(Object magics) {
        Class<?> type = magics instanceof Class ? (Class<?>) magics : magics.getClass();
        Object receiver = magics instanceof Class ? null : magics;
        List<Runnable> registrations = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            LineMagic line = method.getAnnotation(LineMagic.class);
            CellMagic cell = method.getAnnotation(CellMagic.class);
            if (line == null && cell == null) {
                continue;
            }
            if (receiver == null && !Modifier.isStatic(method.getModifiers())) {
                throw new IllegalArgumentException("the magic method " + describe(method)
                        + " is not static: register an instance (registerMagics(new " + type.getSimpleName() + "())) instead of the class");
            }
            method.setAccessible(true); // a notebook's own class need not be public
            if (line != null) {
                expectParameters(method, List.class);
                for (String name : names(method, line.value(), line.aliases())) {
                    registrations.add(() -> registerLineMagic(name, args -> invoke(method, receiver, args)));
                }
            }
            if (cell != null) {
                expectParameters(method, List.class, String.class);
                for (String name : names(method, cell.value(), cell.aliases())) {
                    registrations.add(() -> registerCellMagic(name, (args, body) -> invoke(method, receiver, args, body)));
                }
            }
        }
        registrations.forEach(Runnable::run); // all checked first: a bad method registers nothing
    }

    /** What {@code %name args} does. */
    public <T> T applyLineMagic(String name, List<String> args) {
        return Notebook.lineMagic(name, args);
    }

    /** What a cell {@code %%name args} followed by {@code body} does. */
    public <T> T applyCellMagic(String name, List<String> args, String body) {
        return Notebook.cellMagic(name, args, body);
    }

    private static String checkedName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("'" + name + "' cannot be a magic's name: use letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    private static List<String> names(Method method, String value, String[] aliases) {
        List<String> names = new ArrayList<>();
        names.add(value.isEmpty() ? method.getName() : value);
        names.addAll(List.of(aliases));
        return names;
    }

    private static void expectParameters(Method method, Class<?>... expected) {
        Class<?>[] actual = method.getParameterTypes();
        boolean matches = actual.length == expected.length;
        for (int i = 0; matches && i < actual.length; i++) {
            matches = actual[i].isAssignableFrom(expected[i]);
        }
        if (!matches) {
            throw new IllegalArgumentException("the magic method " + describe(method) + " must take ("
                    + (expected.length == 1 ? "List<String> args" : "List<String> args, String body") + ")");
        }
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    @SuppressWarnings("unchecked")
    private static <T> T invoke(Method method, Object receiver, Object... args) throws Exception {
        try {
            return (T) method.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
