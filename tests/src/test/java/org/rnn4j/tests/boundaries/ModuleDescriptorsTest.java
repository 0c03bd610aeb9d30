package org.rnn4j.tests.boundaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.boundaries.ModuleDescriptorRules.CORE;
import static org.rnn4j.tests.boundaries.ModuleDescriptorRules.MODELS;
import static org.rnn4j.tests.boundaries.ModuleDescriptorRules.NN;
import static org.rnn4j.tests.boundaries.ModuleDescriptorRules.SPI;
import static org.rnn4j.tests.boundaries.ModuleDescriptorRules.VECTOR_API;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The {@code module-info} rules, first on the real modules of the boot layer, then on planted
 * descriptors that break one rule each, which proves the checker reports them.
 */
class ModuleDescriptorsTest {

    private static final String CELLS = "org.rnn4j.cells";
    private static final String ATTENTION = "org.rnn4j.attention";
    private static final String TRAINING = "org.rnn4j.training";
    private static final String SERVICES = "META-INF/services/";
    private static final Predicate<String> ALL_INTERFACES = name -> true;

    // ---- the real modules

    @Test
    void theRealDescriptorsRespectTheBoundaries() {
        List<ModuleDescriptor> ours = rnn4jModules().stream().map(m -> m.reference().descriptor()).toList();

        assertTrue(ours.stream().map(ModuleDescriptor::name).toList().containsAll(LibraryModules.NAMES),
                "every library module must be in the boot layer, found " + ours);
        assertEquals(List.of(), ModuleDescriptorRules.violations(ours, ModuleDescriptorsTest::isSpiInterface));
    }

    @Test
    void theRealServiceFilesMatchTheDescriptors() {
        for (ResolvedModule module : rnn4jModules()) {
            ModuleDescriptor descriptor = module.reference().descriptor();
            assertEquals(List.of(), ModuleDescriptorRules.serviceFileViolations(descriptor, serviceFiles(module)));
        }
    }

    private static List<ResolvedModule> rnn4jModules() {
        return ModuleLayer.boot().configuration().modules().stream()
                .filter(m -> m.name().startsWith("org.rnn4j.")).toList();
    }

    private static boolean isSpiInterface(String typeName) {
        Class<?> type = Class.forName(ModuleLayer.boot().findModule(SPI).orElseThrow(), typeName);
        return type != null && type.isInterface();
    }

    private static Map<String, List<String>> serviceFiles(ResolvedModule module) {
        Map<String, List<String>> files = new TreeMap<>();
        try (ModuleReader reader = module.reference().open()) {
            for (String path : reader.list().filter(p -> p.startsWith(SERVICES) && !p.endsWith("/")).toList()) {
                try (InputStream in = reader.open(path).orElseThrow()) {
                    String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    files.put(path.substring(SERVICES.length()), ModuleDescriptorRules.parseServiceFile(content));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + module.name(), e);
        }
        return files;
    }

    // ---- planted descriptors

    /** The intended layout, with one provider, as builders that a test can break before checking. */
    private static Map<String, ModuleDescriptor.Builder> layout() {
        Map<String, ModuleDescriptor.Builder> modules = new LinkedHashMap<>();
        modules.put(CORE, ModuleDescriptor.newModule(CORE).requires(VECTOR_API)
                .exports("org.rnn4j.core").packages(Set.of("org.rnn4j.core.internal.vector")));
        modules.put(SPI, ModuleDescriptor.newModule(SPI).requires(Set.of(Requires.Modifier.TRANSITIVE), CORE)
                .exports("org.rnn4j.spi").uses("org.rnn4j.spi.CellProvider"));
        modules.put(CELLS, ModuleDescriptor.newModule(CELLS).requires(Set.of(Requires.Modifier.TRANSITIVE), SPI)
                .provides("org.rnn4j.spi.CellProvider", List.of("org.rnn4j.cells.LstmProvider")));
        modules.put(ATTENTION, ModuleDescriptor.newModule(ATTENTION).requires(SPI).requires(CORE));
        modules.put(TRAINING, ModuleDescriptor.newModule(TRAINING).requires(SPI));
        modules.put("org.rnn4j.examples.lab", ModuleDescriptor.newModule("org.rnn4j.examples.lab")
                .requires(CELLS).requires(ATTENTION).requires(TRAINING).requires("org.rnn4j.examples.data"));
        return modules;
    }

    private static List<String> check(Map<String, ModuleDescriptor.Builder> modules, Predicate<String> isInterface) {
        return ModuleDescriptorRules.violations(
                modules.values().stream().map(ModuleDescriptor.Builder::build).toList(), isInterface);
    }

    private static List<String> check(Map<String, ModuleDescriptor.Builder> modules) {
        return check(modules, ALL_INTERFACES);
    }

    @Test
    void theIntendedLayoutHasNoViolations() {
        assertEquals(List.of(), check(layout()));
    }

    @Test
    void theVectorApiOutsideCoreIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(CELLS).requires(VECTOR_API);

        assertEquals(List.of("org.rnn4j.cells requires jdk.incubator.vector; only org.rnn4j.core may use the Vector API"),
                check(modules));
    }

    @Test
    void coreRequiringAnotherRnn4jModuleIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(CORE).requires(SPI);

        assertEquals(List.of("org.rnn4j.core requires [org.rnn4j.spi]; core depends on no other rnn4j module"),
                check(modules));
    }

    @Test
    void spiRequiringAPluginModuleIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(SPI).requires(TRAINING);

        assertEquals(List.of("org.rnn4j.spi requires org.rnn4j.training; it may require only [org.rnn4j.core]"
                + " of the rnn4j modules"), check(modules));
    }

    @Test
    void nnRequiringAPluginModuleAndCellsRequiringNnAreReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.put("org.rnn4j.nn", ModuleDescriptor.newModule("org.rnn4j.nn").requires(SPI).requires(CELLS));
        modules.get(CELLS).requires("org.rnn4j.nn");

        assertEquals(List.of(
                "org.rnn4j.cells requires org.rnn4j.nn; it may require only [org.rnn4j.core, org.rnn4j.spi]"
                        + " of the rnn4j modules",
                "org.rnn4j.nn requires org.rnn4j.cells; it may require only [org.rnn4j.core, org.rnn4j.spi]"
                        + " of the rnn4j modules"), check(modules));
    }

    @Test
    void pluginModulesRequiringOneAnotherOrNotSpiAreReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(ATTENTION).requires(CELLS);
        modules.put(TRAINING, ModuleDescriptor.newModule(TRAINING).requires(CORE));

        assertEquals(List.of(
                "org.rnn4j.attention requires org.rnn4j.cells; it may require only [org.rnn4j.core, org.rnn4j.nn, org.rnn4j.spi]"
                        + " of the rnn4j modules",
                "org.rnn4j.training does not require org.rnn4j.spi"), check(modules));
    }

    @Test
    void modelsRequiringACellModuleAndTrainingRequiringModelsAreReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.put(MODELS, ModuleDescriptor.newModule(MODELS).requires(NN).requires(TRAINING).requires(CELLS));
        modules.put(NN, ModuleDescriptor.newModule(NN).requires(SPI));
        modules.put(TRAINING, ModuleDescriptor.newModule(TRAINING).requires(SPI).requires(MODELS));

        assertEquals(List.of(
                "org.rnn4j.models requires org.rnn4j.cells; it may require only [org.rnn4j.attention, org.rnn4j.core,"
                        + " org.rnn4j.nn, org.rnn4j.spi, org.rnn4j.training] of the rnn4j modules",
                "org.rnn4j.training requires org.rnn4j.models; it may require only [org.rnn4j.core, org.rnn4j.nn,"
                        + " org.rnn4j.spi] of the rnn4j modules"), check(modules));
    }

    @Test
    void requiringExamplesBenchOrSparkIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(TRAINING).requires("org.rnn4j.examples.lab").requires("org.rnn4j.spark");
        modules.get(ATTENTION).requires("org.rnn4j.bench").requires("spark.core");

        assertEquals(List.of(
                "org.rnn4j.attention requires org.rnn4j.bench; nothing outside org.rnn4j.bench may",
                "org.rnn4j.attention requires spark.core; library modules must not depend on Apache Spark",
                "org.rnn4j.training requires org.rnn4j.examples.lab; nothing outside org.rnn4j.examples may",
                "org.rnn4j.training requires org.rnn4j.spark; nothing outside org.rnn4j.spark may"), check(modules));
    }

    @Test
    void aLibraryModuleRequiringAThirdPartyModuleIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(TRAINING).requires("scala.library").requires("java.logging");
        modules.get(CORE).requires("hadoop.client.api");
        modules.get("org.rnn4j.examples.lab").requires("info.picocli");

        assertEquals(List.of(
                "org.rnn4j.core requires hadoop.client.api; library modules require only JDK and rnn4j modules",
                "org.rnn4j.training requires scala.library; library modules require only JDK and rnn4j modules"),
                check(modules));
    }

    @Test
    void exportingOrOpeningAnInternalPackageIsReportedEvenToFriends() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.put(CORE, ModuleDescriptor.newModule(CORE).requires(VECTOR_API).exports("org.rnn4j.core")
                .exports("org.rnn4j.core.internal.vector", Set.of(CELLS)).opens("org.rnn4j.core.internal"));

        assertEquals(List.of(
                "org.rnn4j.core exports org.rnn4j.core.internal.vector to [org.rnn4j.cells];"
                        + " internal packages must stay unexported",
                "org.rnn4j.core opens org.rnn4j.core.internal; internal packages must stay unexported"),
                check(modules));
    }

    @Test
    void anOpenModuleOpensItsInternalPackages() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.put(CORE, ModuleDescriptor.newOpenModule(CORE).requires(VECTOR_API).exports("org.rnn4j.core")
                .packages(Set.of("org.rnn4j.core.internal.vector")));

        assertEquals(List.of("org.rnn4j.core opens (open module) org.rnn4j.core.internal.vector;"
                + " internal packages must stay unexported"), check(modules));
    }

    @Test
    void providingAServiceThatIsNotAnSpiInterfaceUsedBySpiIsReported() {
        Map<String, ModuleDescriptor.Builder> modules = layout();
        modules.get(ATTENTION).provides("org.rnn4j.attention.ScorerProvider", List.of("org.rnn4j.attention.Dot"));
        modules.get(TRAINING).provides("org.rnn4j.spi.AbstractOptimizer", List.of("org.rnn4j.training.Adam"));

        assertEquals(List.of(
                "org.rnn4j.attention provides org.rnn4j.attention.ScorerProvider, which is not a contract from"
                        + " org.rnn4j.spi",
                "org.rnn4j.attention provides org.rnn4j.attention.ScorerProvider, which org.rnn4j.spi does not"
                        + " declare with 'uses', so its registry cannot load it",
                "org.rnn4j.training provides org.rnn4j.spi.AbstractOptimizer, which is not an interface",
                "org.rnn4j.training provides org.rnn4j.spi.AbstractOptimizer, which org.rnn4j.spi does not"
                        + " declare with 'uses', so its registry cannot load it"),
                check(modules, name -> !name.equals("org.rnn4j.spi.AbstractOptimizer")));
    }

    @Test
    void serviceFilesMustListExactlyTheProvidedProviders() {
        ModuleDescriptor cells = ModuleDescriptor.newModule(CELLS).requires(SPI)
                .provides("org.rnn4j.spi.CellProvider", List.of("org.rnn4j.cells.Lstm", "org.rnn4j.cells.Gru"))
                .build();

        assertEquals(List.of(), ModuleDescriptorRules.serviceFileViolations(cells, Map.of(
                "org.rnn4j.spi.CellProvider", List.of("org.rnn4j.cells.Gru", "org.rnn4j.cells.Lstm"))));
        assertEquals(List.of(), ModuleDescriptorRules.serviceFileViolations(cells, Map.of()));
        assertEquals(List.of(
                "org.rnn4j.cells: META-INF/services/org.rnn4j.spi.CellProvider lists [org.rnn4j.cells.Lstm]"
                        + " but module-info provides [org.rnn4j.cells.Gru, org.rnn4j.cells.Lstm]",
                "org.rnn4j.cells: META-INF/services/org.rnn4j.spi.ScorerProvider lists [org.rnn4j.cells.Dot]"
                        + " but module-info provides []"),
                ModuleDescriptorRules.serviceFileViolations(cells, Map.of(
                        "org.rnn4j.spi.CellProvider", List.of("org.rnn4j.cells.Lstm"),
                        "org.rnn4j.spi.ScorerProvider", List.of("org.rnn4j.cells.Dot"))));
    }

    @Test
    void serviceFilesAreParsedWithoutCommentsAndBlankLines() {
        assertEquals(List.of("a.B", "c.D"),
                ModuleDescriptorRules.parseServiceFile("# providers\na.B  # the first\n\n  c.D\n"));
    }
}
