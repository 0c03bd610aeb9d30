package org.rnn4j.tests.boundaries;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.stream.Collectors;

/** The module boundaries, checked on the library modules' built classes. */
@AnalyzeClasses(locations = LibraryModules.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    private static final ModuleRules RULES = ModuleRules.RNN4J;

    @ArchTest
    static final ArchRule core_depends_on_no_other_module = RULES.coreDependsOnNoOtherModule();

    @ArchTest
    static final ArchRule spi_depends_only_on_core = RULES.spiDependsOnlyOnCore();

    @ArchTest
    static final ArchRule nn_depends_only_on_core_and_spi = RULES.nnDependsOnlyOnCoreAndSpi();

    @ArchTest
    static final ArchRule cells_do_not_depend_on_nn = RULES.cellsDoNotDependOnNn();

    @ArchTest
    static final ArchRule plugin_modules_do_not_depend_on_one_another = RULES.pluginModulesDoNotDependOnOneAnother();

    @ArchTest
    static final ArchRule plugin_modules_do_not_depend_on_models = RULES.pluginModulesDoNotDependOnModels();

    @ArchTest
    static final ArchRule only_core_uses_the_vector_api = RULES.onlyCoreUsesTheVectorApi();

    @ArchTest
    static final ArchRule nothing_depends_on_examples_or_bench = RULES.nothingDependsOnExamplesOrBench();

    @ArchTest
    static final ArchRule library_modules_do_not_depend_on_spark = RULES.libraryModulesDoNotDependOnSpark();

    @ArchTest
    static final ArchRule library_modules_depend_only_on_the_jdk_and_rnn4j = RULES.libraryModulesDependOnlyOnTheJdkAndRnn4j();

    @ArchTest
    static final ArchRule modules_are_free_of_cycles = RULES.modulesAreFreeOfCycles();

    /**
     * Guards against an import that silently finds nothing (ArchUnit 1.4.0 on Java 25 did): every
     * package that a library module's descriptor declares must have contributed classes. Modules
     * that have no packages yet are skipped until they get some.
     */
    @ArchTest
    static void the_import_found_every_package_of_every_library_module(JavaClasses classes) {
        Set<String> imported = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        int modulesWithPackages = 0;
        for (String name : LibraryModules.NAMES) {
            Set<String> declared = LibraryModules.resolved(name).reference().descriptor().packages();
            if (!declared.isEmpty()) {
                modulesWithPackages++;
            }
            for (String pkg : declared) {
                assertTrue(imported.contains(pkg), "ArchUnit imported no class of " + pkg + " in " + name);
            }
        }
        assertTrue(modulesWithPackages >= 2, "core and spi at least have packages, found " + modulesWithPackages);
    }
}
