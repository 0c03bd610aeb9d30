package org.rnn4j.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a provider class its registry name. Every provider that a {@link PluginRegistry} lists
 * must carry this annotation directly (it is not inherited).
 *
 * <p>The name lives on the class rather than behind a method so that a registry can list and
 * check providers from {@link java.util.ServiceLoader.Provider#type()} without constructing any,
 * and without the provider's package being exported.
 *
 * <p>For a provider deployed through a {@code public static provider()} method,
 * {@code ServiceLoader} reports the method's return type as the provider type, so that method
 * must be declared to return the annotated class, not the plugin interface.
 *
 * <pre>{@code
 * @Plugin(name = "lstm", description = "Long short-term memory, PyTorch gate order i, f, g, o")
 * public final class LstmProvider implements CellProvider { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Plugin {

    /**
     * The registry name, unique within its plugin kind and stored in model files, so it must never
     * change once released. It must satisfy {@link PluginRegistry#isValidName(String)}: 1 to 64
     * lowercase ASCII letters, digits and {@code '-'}, starting with a letter, with no trailing or
     * doubled {@code '-'} ({@code lstm}, {@code scaled-dot}, {@code clip-norm}).
     *
     * @return the registry name
     */
    String name();

    /**
     * A one-line, human-readable description for listings and error messages.
     *
     * @return the description, empty by default
     */
    String description() default "";
}
