package io.github.spencerpark.jupyter.kernel.magic.registry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method taking {@code (List<String> args)} as a line magic, for {@link Magics#registerMagics}.
 * The magic's name is {@link #value()}, or the method's name when that is empty; {@link #aliases()} are
 * further names.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LineMagic {
    String value() default "";

    String[] aliases() default {};
}
