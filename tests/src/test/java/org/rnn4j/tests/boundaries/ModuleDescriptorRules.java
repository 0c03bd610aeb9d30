package org.rnn4j.tests.boundaries;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The module boundaries that only {@code module-info} shows (ArchUnit does not read it), as plain
 * functions from descriptors to violation messages, so that tests can feed them planted
 * descriptors as well as the real ones. An empty list means the descriptors are fine.
 */
final class ModuleDescriptorRules {

    static final String CORE = "org.rnn4j.core";
    static final String SPI = "org.rnn4j.spi";
    static final String NN = "org.rnn4j.nn";
    static final String MODELS = "org.rnn4j.models";
    static final List<String> PLUGIN_MODULES = List.of("org.rnn4j.cells", "org.rnn4j.attention", "org.rnn4j.training");
    static final String VECTOR_API = "jdk.incubator.vector";

    private static final String OURS = "org.rnn4j.";
    /** Families of modules that nothing outside the family may require. */
    private static final List<String> LEAF_FAMILIES = List.of("org.rnn4j.examples", "org.rnn4j.bench", "org.rnn4j.spark");
    /** Apache Spark's module names: automatic names such as {@code spark.core}, or explicit ones. */
    private static final List<String> SPARK_FAMILIES = List.of("spark", "org.apache.spark");

    private ModuleDescriptorRules() {
    }

    /**
     * Checks requires, exports, opens, provides and uses across the given rnn4j modules.
     *
     * @param modules     descriptors of rnn4j modules; others are ignored
     * @param isInterface tells whether a fully qualified type name denotes an interface
     * @return one message per violation
     */
    static List<String> violations(Collection<ModuleDescriptor> modules, Predicate<String> isInterface) {
        Map<String, ModuleDescriptor> byName = modules.stream().filter(d -> d.name().startsWith(OURS))
                .collect(Collectors.toMap(ModuleDescriptor::name, d -> d));
        List<String> violations = new ArrayList<>();
        for (ModuleDescriptor module : byName.values()) {
            String name = module.name();
            Set<String> requires = requiredNames(module);
            Set<String> requiresOurs = requires.stream().filter(r -> r.startsWith(OURS))
                    .collect(Collectors.toCollection(TreeSet::new));

            if (!name.equals(CORE) && requires.contains(VECTOR_API)) {
                violations.add(name + " requires " + VECTOR_API + "; only " + CORE + " may use the Vector API");
            }
            for (String required : requiresOurs) {
                String family = family(required, LEAF_FAMILIES);
                if (family != null && !belongsTo(name, family)) {
                    violations.add(name + " requires " + required + "; nothing outside " + family + " may");
                }
            }
            if (isLibrary(name)) {
                requires.stream().filter(r -> family(r, SPARK_FAMILIES) != null).forEach(r ->
                        violations.add(name + " requires " + r + "; library modules must not depend on Apache Spark"));
                // Spark's own dependencies (Scala, Hadoop, Netty...) and any other third-party module.
                requires.stream().filter(r -> family(r, SPARK_FAMILIES) == null && !r.startsWith(OURS)
                                && !r.startsWith("java.") && !r.startsWith("jdk.")).sorted().forEach(r ->
                        violations.add(name + " requires " + r + "; library modules require only JDK and rnn4j modules"));
            }
            if (name.equals(CORE) && !requiresOurs.isEmpty()) {
                violations.add(CORE + " requires " + requiresOurs + "; core depends on no other rnn4j module");
            }
            if (name.equals(SPI)) {
                checkRequires(violations, name, requiresOurs, Set.of(CORE), Set.of(CORE));
            }
            if (name.equals(NN)) {
                checkRequires(violations, name, requiresOurs, Set.of(SPI), Set.of(SPI, CORE));
            }
            if (name.equals(MODELS)) {
                // Models combine layers, attention and training; they never need a cell implementation.
                checkRequires(violations, name, requiresOurs, Set.of(NN),
                        Set.of(CORE, SPI, NN, "org.rnn4j.attention", "org.rnn4j.training"));
            }
            if (PLUGIN_MODULES.contains(name)) {
                // Cells stay below the layer API; attention and training build on it.
                Set<String> allowed = name.equals("org.rnn4j.cells") ? Set.of(SPI, CORE) : Set.of(SPI, CORE, NN);
                checkRequires(violations, name, requiresOurs, Set.of(SPI), allowed);
                checkProvides(violations, module, byName.get(SPI), isInterface);
            }
            checkInternalPackages(violations, module);
        }
        violations.sort(null);
        return violations;
    }

    /**
     * Checks that the {@code META-INF/services} files a module ships (for class-path users) name
     * exactly the providers that its descriptor {@code provides}. A provided service without such
     * a file is fine: on the module path only {@code provides} counts.
     *
     * @param module       the module's descriptor
     * @param serviceFiles service type name to the provider class names listed in its file
     * @return one message per violation
     */
    static List<String> serviceFileViolations(ModuleDescriptor module, Map<String, List<String>> serviceFiles) {
        Map<String, List<String>> provides = module.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        List<String> violations = new ArrayList<>();
        serviceFiles.forEach((service, listed) -> {
            Set<String> declared = new TreeSet<>(provides.getOrDefault(service, List.of()));
            if (!declared.equals(new TreeSet<>(listed))) {
                violations.add(module.name() + ": META-INF/services/" + service + " lists " + new TreeSet<>(listed)
                        + " but module-info provides " + declared);
            }
        });
        violations.sort(null);
        return violations;
    }

    /**
     * Parses a {@code META-INF/services} file: one class name a line, {@code #} starts a comment.
     *
     * @param content the file's text
     * @return the provider class names in file order
     */
    static List<String> parseServiceFile(String content) {
        return content.lines().map(line -> line.replaceFirst("#.*", "").strip()).filter(line -> !line.isEmpty())
                .toList();
    }

    private static void checkRequires(List<String> violations, String name, Set<String> requiresOurs,
                                      Set<String> mustRequire, Set<String> mayRequire) {
        for (String required : mustRequire) {
            if (!requiresOurs.contains(required)) {
                violations.add(name + " does not require " + required);
            }
        }
        for (String required : requiresOurs) {
            if (!mayRequire.contains(required) && family(required, LEAF_FAMILIES) == null) {
                violations.add(name + " requires " + required + "; it may require only " + new TreeSet<>(mayRequire)
                        + " of the rnn4j modules");
            }
        }
    }

    private static void checkProvides(List<String> violations, ModuleDescriptor module, ModuleDescriptor spi,
                                      Predicate<String> isInterface) {
        for (ModuleDescriptor.Provides provides : module.provides()) {
            String service = provides.service();
            if (!service.startsWith(SPI + ".")) {
                violations.add(module.name() + " provides " + service + ", which is not a contract from " + SPI);
            } else if (!isInterface.test(service)) {
                violations.add(module.name() + " provides " + service + ", which is not an interface");
            }
            if (spi == null || !spi.uses().contains(service)) {
                violations.add(module.name() + " provides " + service + ", which " + SPI
                        + " does not declare with 'uses', so its registry cannot load it");
            }
        }
    }

    /** Internal packages stay hidden: not exported or opened, not even to named friends. */
    private static void checkInternalPackages(List<String> violations, ModuleDescriptor module) {
        Stream.concat(
                module.exports().stream().map(e -> new Opening("exports", e.source(), e.targets())),
                module.isOpen()
                        ? module.packages().stream().map(p -> new Opening("opens (open module)", p, Set.of()))
                        : module.opens().stream().map(o -> new Opening("opens", o.source(), o.targets())))
                .filter(opening -> isInternal(opening.pkg()))
                .forEach(opening -> violations.add(module.name() + " " + opening.how() + " " + opening.pkg()
                        + (opening.targets().isEmpty() ? "" : " to " + new TreeSet<>(opening.targets()))
                        + "; internal packages must stay unexported"));
    }

    private record Opening(String how, String pkg, Set<String> targets) {
    }

    private static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.");
    }

    private static boolean isLibrary(String name) {
        return name.equals(CORE) || name.equals(SPI) || name.equals(NN) || name.equals(MODELS) || PLUGIN_MODULES.contains(name);
    }

    private static Set<String> requiredNames(ModuleDescriptor module) {
        return module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    }

    /** The family prefix that a module name belongs to, or null. */
    private static String family(String name, List<String> families) {
        return families.stream().filter(f -> belongsTo(name, f)).findFirst().orElse(null);
    }

    private static boolean belongsTo(String name, String family) {
        return name.equals(family) || name.startsWith(family + ".");
    }
}
