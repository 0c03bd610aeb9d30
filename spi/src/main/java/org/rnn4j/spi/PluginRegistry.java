package org.rnn4j.spi;

import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The providers of one plugin kind (cells, attention scorers, ...), found by their
 * {@link Plugin#name() registry name}.
 *
 * <h2>Building</h2>
 * A registry is built from a {@link ServiceLoader} that the caller creates, because on the module
 * path {@code ServiceLoader.load} only works in a module that declares {@code uses} for the
 * service:
 * <pre>{@code
 * PluginRegistry<CellProvider> cells =
 *         PluginRegistry.of("cell", CellProvider.class, ServiceLoader.load(CellProvider.class));
 * }</pre>
 * Building reads each provider's {@link ServiceLoader.Provider#type() class} and its
 * {@link Plugin} annotation, and constructs no provider. It fails fast, with a
 * {@link ServiceConfigurationError} (the error {@code ServiceLoader} itself throws for broken
 * providers), when a provider class has no {@code @Plugin}, has an invalid name, does not
 * implement the kind's type, or shares its name with another provider; the message names the
 * provider class or classes. Duplicates are errors, not "first wins": with modules, two providers
 * of one name almost always mean a packaging mistake, and silently picking one would make a model
 * file load different code on different machines.
 *
 * <h2>Lifecycle and threads</h2>
 * The set of providers is a snapshot taken when the registry is built; providers added to the
 * loader later are not seen. A provider is constructed on the first {@link #get(String)} of its
 * name and the same instance is returned afterwards; the cache belongs to this registry, so build
 * a registry once per kind and share it. All methods are safe for concurrent use by multiple
 * threads: concurrent first lookups of one name construct the provider exactly once. A provider
 * whose construction fails is not cached, so a later lookup tries again. A provider's constructor
 * must not look up providers of its own registry: looking up itself fails with
 * {@link IllegalStateException}, and two providers that look each other up from two threads could
 * deadlock.
 *
 * @param <P> the kind's provider type
 */
public final class PluginRegistry<P> {

    private static final int MAX_NAME_LENGTH = 64;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    private static final String NAME_RULE = "names are 1 to " + MAX_NAME_LENGTH
            + " lowercase letters, digits and '-', start with a letter, and have no trailing or doubled '-'";

    private final String kind;
    private final String kindPlural;
    private final Class<P> type;
    private final Map<String, Entry<P>> entries;
    private final List<String> names;

    private PluginRegistry(String kind, Class<P> type, Map<String, Entry<P>> entries) {
        this.kind = kind;
        this.kindPlural = plural(kind);
        this.type = type;
        this.entries = entries;
        this.names = List.copyOf(entries.keySet());
    }

    /**
     * Builds a registry from the providers of a service loader, without constructing them.
     *
     * @param kind   the plugin kind as a singular noun used in messages, for example {@code "cell"}
     *               or {@code "attention scorer"}; messages form the plural by simple English rules
     * @param type   the kind's provider type, which every provider must implement
     * @param loader a loader for {@code type}, created by the module that declares {@code uses}
     * @param <P>    the kind's provider type
     * @return a registry of the loader's providers
     * @throws ServiceConfigurationError if a provider cannot be listed, has no {@link Plugin}
     *                                   annotation or an invalid name, does not implement
     *                                   {@code type}, or shares its name with another provider
     * @throws IllegalArgumentException  if {@code kind} is blank
     */
    public static <P> PluginRegistry<P> of(String kind, Class<P> type, ServiceLoader<P> loader) {
        Objects.requireNonNull(loader, "loader");
        return of(kind, type, loader.stream());
    }

    /**
     * Builds a registry from explicit providers, for tests and for hosts that find providers
     * themselves (for example in a custom {@link ModuleLayer}). Each provider's
     * {@link ServiceLoader.Provider#type() type()} is read now; its
     * {@link ServiceLoader.Provider#get() get()} is called on the first lookup of its name.
     *
     * @param kind      the plugin kind as a singular noun, as for {@link #of(String, Class, ServiceLoader)}
     * @param type      the kind's provider type, which every provider must implement
     * @param providers the providers; the stream is consumed
     * @param <P>       the kind's provider type
     * @return a registry of the given providers
     * @throws ServiceConfigurationError if a provider has no {@link Plugin} annotation or an invalid
     *                                   name, does not implement {@code type}, or shares its name
     *                                   with another provider
     * @throws IllegalArgumentException  if {@code kind} is blank
     */
    public static <P> PluginRegistry<P> of(
            String kind, Class<P> type, Stream<? extends ServiceLoader.Provider<? extends P>> providers) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(providers, "providers");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("PluginRegistry.of: kind must not be blank, given '" + kind + "'");
        }
        Map<String, Entry<P>> entries = new TreeMap<>();
        providers.forEach(provider -> {
            Entry<P> entry = entry(kind, type, provider);
            Entry<P> previous = entries.putIfAbsent(entry.name, entry);
            if (previous != null) {
                throw new ServiceConfigurationError("Two " + plural(kind) + " are named '" + entry.name + "': "
                        + describe(previous.providerType) + " and " + describe(entry.providerType)
                        + "; names must be unique, so remove one of the modules or rename one provider");
            }
        });
        return new PluginRegistry<>(kind, type, Collections.unmodifiableMap(entries));
    }

    /**
     * Tells whether a string is a valid plugin name: 1 to 64 lowercase ASCII letters, digits and
     * {@code '-'}, starting with a letter, with no trailing or doubled {@code '-'}.
     *
     * @param name the candidate name
     * @return true if {@code name} is non-null and valid
     */
    public static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /**
     * The plugin kind, as given when the registry was built.
     *
     * @return the singular kind, for example {@code "cell"}
     */
    public String kind() {
        return kind;
    }

    /**
     * The kind's provider type, which every provider implements.
     *
     * @return the provider type
     */
    public Class<P> type() {
        return type;
    }

    /**
     * The names of all providers, sorted. Listing constructs no provider.
     *
     * @return an unmodifiable, sorted list of names
     */
    public List<String> names() {
        return names;
    }

    /**
     * Tells whether a provider has this name. Constructs no provider.
     *
     * @param name the name to look for
     * @return true if a provider has this name
     */
    public boolean contains(String name) {
        return entries.containsKey(Objects.requireNonNull(name, "name"));
    }

    /**
     * The provider with this name, constructed on the first call for the name and cached.
     *
     * @param name the registry name
     * @return the provider, the same instance on every call
     * @throws UnknownPluginException    if no provider has this name
     * @throws ServiceConfigurationError if the provider cannot be constructed (the next call retries)
     * @throws IllegalStateException     if the provider's construction looks itself up
     */
    public P get(String name) {
        return entry(name).instance(this);
    }

    /**
     * The class of the provider with this name, without constructing it.
     *
     * @param name the registry name
     * @return the provider class
     * @throws UnknownPluginException if no provider has this name
     */
    public Class<? extends P> providerType(String name) {
        return entry(name).providerType;
    }

    /**
     * The {@link Plugin#description() description} of the provider with this name, without
     * constructing it.
     *
     * @param name the registry name
     * @return the description, empty if the provider gives none
     * @throws UnknownPluginException if no provider has this name
     */
    public String description(String name) {
        return entry(name).description;
    }

    /**
     * Describes the registry for logs, for example {@code PluginRegistry[cell: gru, lstm]}.
     *
     * @return the kind and the names
     */
    @Override
    public String toString() {
        return "PluginRegistry[" + kind + ": " + String.join(", ", names) + "]";
    }

    private Entry<P> entry(String name) {
        Entry<P> entry = entries.get(Objects.requireNonNull(name, "name"));
        if (entry == null) {
            String known = names.isEmpty()
                    ? "no " + kindPlural + " are registered (no provider of " + type.getName()
                            + " was found) — is the providing module on the module path?"
                    : "known " + kindPlural + ": " + String.join(", ", names);
            throw new UnknownPluginException("No " + kind + " named '" + name + "'; " + known, kind, name, names);
        }
        return entry;
    }

    private static <P> Entry<P> entry(String kind, Class<P> type, ServiceLoader.Provider<? extends P> provider) {
        Class<? extends P> providerType = provider.type();
        if (!type.isAssignableFrom(providerType)) {
            throw new ServiceConfigurationError(kind + " provider " + describe(providerType)
                    + " does not implement " + type.getName());
        }
        Plugin plugin = providerType.getDeclaredAnnotation(Plugin.class);
        if (plugin == null) {
            throw new ServiceConfigurationError(kind + " provider " + describe(providerType)
                    + " has no @" + Plugin.class.getName() + " annotation; annotate the class with"
                    + " @Plugin(name = \"...\") to give it a registry name"
                    + (Modifier.isAbstract(providerType.getModifiers())
                            ? " (for a public static provider() method, ServiceLoader reports the method's return"
                                    + " type: declare it to return the annotated class)"
                            : ""));
        }
        if (!isValidName(plugin.name())) {
            throw new ServiceConfigurationError(kind + " provider " + describe(providerType)
                    + " has the invalid name '" + plugin.name() + "': " + NAME_RULE);
        }
        return new Entry<>(plugin.name(), plugin.description(), providerType, provider);
    }

    /** Names a provider class and where it comes from, so a duplicate points at the packaging. */
    private static String describe(Class<?> providerType) {
        Module module = providerType.getModule();
        return providerType.getName() + " (" + (module.isNamed() ? "module " + module.getName() : "unnamed module") + ")";
    }

    private static String plural(String noun) {
        if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("z")
                || noun.endsWith("ch") || noun.endsWith("sh")) {
            return noun + "es";
        }
        if (noun.length() > 1 && noun.endsWith("y") && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        return noun + "s";
    }

    /** One provider: its metadata, read at build time, and its instance, built on first use. */
    private static final class Entry<P> {
        final String name;
        final String description;
        final Class<? extends P> providerType;
        private final ServiceLoader.Provider<? extends P> provider;
        private volatile P instance;
        private boolean constructing;

        Entry(String name, String description, Class<? extends P> providerType,
              ServiceLoader.Provider<? extends P> provider) {
            this.name = name;
            this.description = description;
            this.providerType = providerType;
            this.provider = provider;
        }

        P instance(PluginRegistry<P> registry) {
            P result = instance;
            if (result != null) {
                return result;
            }
            synchronized (this) {
                if (instance != null) {
                    return instance;
                }
                // The lock is reentrant, so only the constructing thread itself can see this flag.
                if (constructing) {
                    throw new IllegalStateException(registry.kind + " '" + name + "' was looked up while its provider "
                            + providerType.getName() + " was being constructed; a provider must not look itself up"
                            + " from its constructor");
                }
                constructing = true;
                try {
                    P created = provider.get();
                    if (created == null) {
                        throw new ServiceConfigurationError(registry.kind + " provider " + describe(providerType)
                                + " returned null from ServiceLoader.Provider.get()");
                    }
                    instance = registry.type.cast(created);
                    return instance;
                } finally {
                    constructing = false;
                }
            }
        }
    }
}
