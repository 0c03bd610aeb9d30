package org.rnn4j.tests.boundaries;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The module boundaries of rnn4j as ArchUnit rules, written once over a root package so that the
 * same definitions check the real modules ({@link #RNN4J}) and the planted violations under
 * {@code org.rnn4j.tests.boundaries.planted}. A module is the package {@code <root>.<module>..}.
 *
 * @param root      the package whose sub-packages are the modules, e.g. {@code org.rnn4j}
 * @param vectorApi the package of the incubating Vector API, e.g. {@code jdk.incubator.vector}
 * @param spark     the package of Apache Spark, e.g. {@code org.apache.spark}
 */
record ModuleRules(String root, String vectorApi, String spark) {

    /** The rules for the real modules. */
    static final ModuleRules RNN4J = new ModuleRules("org.rnn4j", "jdk.incubator.vector", "org.apache.spark");

    ArchRule coreDependsOnNoOtherModule() {
        return noClasses().that().resideInAPackage(module("core"))
                .should().dependOnClassesThat(resideInAPackage(root + "..").and(resideOutsideOfPackage(module("core"))))
                .as("core depends on no other rnn4j module");
    }

    ArchRule spiDependsOnlyOnCore() {
        return noClasses().that().resideInAPackage(module("spi"))
                .should().dependOnClassesThat().resideInAnyPackage(
                        module("nn"), module("cells"), module("attention"), module("training"), module("models"),
                        module("examples"), module("bench"), module("spark"))
                .as("spi depends only on core");
    }

    ArchRule nnDependsOnlyOnCoreAndSpi() {
        return noClasses().that().resideInAPackage(module("nn"))
                .should().dependOnClassesThat().resideInAnyPackage(
                        module("cells"), module("attention"), module("training"), module("models"),
                        module("examples"), module("bench"), module("spark"))
                .as("nn depends only on core and spi");
    }

    ArchRule cellsDoNotDependOnNn() {
        return noClasses().that().resideInAPackage(module("cells"))
                .should().dependOnClassesThat().resideInAPackage(module("nn"))
                .as("cells depend only on core and spi, so a cell plugin never needs the layer API");
    }

    ArchRule pluginModulesDoNotDependOnOneAnother() {
        return slices().matching(root + ".(cells|attention|training)..").namingSlices("$1")
                .should().notDependOnEachOther()
                // Some plugin modules may still be empty; the import sanity test guards the import itself.
                .allowEmptyShould(true)
                .as("cells, attention and training do not depend on one another");
    }

    ArchRule pluginModulesDoNotDependOnModels() {
        return noClasses().that().resideInAnyPackage(module("cells"), module("attention"), module("training"))
                .should().dependOnClassesThat().resideInAPackage(module("models"))
                .as("cells, attention and training do not depend on models, which builds on them");
    }

    ArchRule onlyCoreUsesTheVectorApi() {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(module("core"))
                .should().dependOnClassesThat().resideInAPackage(vectorApi + "..")
                .as("only core uses the Vector API (" + vectorApi + ")");
    }

    ArchRule nothingDependsOnExamplesOrBench() {
        return CompositeArchRule.of(nothingElseDependsOn("examples")).and(nothingElseDependsOn("bench"))
                .as("nothing depends on examples or bench");
    }

    ArchRule libraryModulesDoNotDependOnSpark() {
        return noClasses().that().resideInAnyPackage(libraryModules())
                .should().dependOnClassesThat().resideInAnyPackage(module("spark"), spark + "..")
                .as("no library module depends on the spark module or on Apache Spark");
    }

    /**
     * Spark drags in Scala, Hadoop, Netty and more; the library must not pick up any of it (nor any
     * other third-party class): its classes use only the JDK and rnn4j.
     */
    ArchRule libraryModulesDependOnlyOnTheJdkAndRnn4j() {
        return noClasses().that().resideInAnyPackage(libraryModules())
                .should().dependOnClassesThat(resideOutsideOfPackages("java..", "jdk..", vectorApi + "..", root + ".."))
                .as("library modules depend only on the JDK and rnn4j");
    }

    ArchRule modulesAreFreeOfCycles() {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .as("rnn4j modules are free of cycles");
    }

    private ArchRule nothingElseDependsOn(String name) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(module(name))
                .should().dependOnClassesThat().resideInAPackage(module(name));
    }

    private String[] libraryModules() {
        return new String[] {module("core"), module("spi"), module("nn"), module("cells"), module("attention"),
                module("training"), module("models")};
    }

    private String module(String name) {
        return root + "." + name + "..";
    }
}
