package org.rnn4j.spi;

import java.io.Serial;
import java.util.List;

/**
 * Thrown by {@link PluginRegistry#get(String)} and the other lookups for a name that no provider
 * of the registry's kind has. The message lists the known names, for example
 * {@code No cell named 'lstn'; known cells: gru, lstm, rnn}; callers that read names from files can
 * catch it to add which file and which field held the name.
 */
public final class UnknownPluginException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;
    private final String[] knownNames;

    UnknownPluginException(String message, String kind, String name, List<String> knownNames) {
        super(message);
        this.kind = kind;
        this.name = name;
        this.knownNames = knownNames.toArray(String[]::new);
    }

    /**
     * The kind of plugin that was looked up, as given to the registry (for example {@code cell}).
     *
     * @return the plugin kind
     */
    public String kind() {
        return kind;
    }

    /**
     * The name that was looked up and not found.
     *
     * @return the unknown name
     */
    public String name() {
        return name;
    }

    /**
     * The names the registry did know, sorted.
     *
     * @return the known names, possibly empty
     */
    public List<String> knownNames() {
        return List.of(knownNames);
    }
}
