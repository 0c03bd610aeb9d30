package org.rnn4j.tests.boundaries;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.tests.boundaries.planted.attention.PlantedDemoScorer;
import org.rnn4j.tests.boundaries.planted.attention.PlantedScorer;
import org.rnn4j.tests.boundaries.planted.bench.PlantedBenchmark;
import org.rnn4j.tests.boundaries.planted.cells.PlantedAttentiveCell;
import org.rnn4j.tests.boundaries.planted.cells.PlantedCell;
import org.rnn4j.tests.boundaries.planted.cells.PlantedSimdCell;
import org.rnn4j.tests.boundaries.planted.core.PlantedShape;
import org.rnn4j.tests.boundaries.planted.core.PlantedTensor;
import org.rnn4j.tests.boundaries.planted.examples.PlantedExample;
import org.rnn4j.tests.boundaries.planted.models.PlantedModel;
import org.rnn4j.tests.boundaries.planted.models.PlantedPairModel;
import org.rnn4j.tests.boundaries.planted.nn.PlantedGreedyLayer;
import org.rnn4j.tests.boundaries.planted.nn.PlantedLayer;
import org.rnn4j.tests.boundaries.planted.spark.PlantedSparkJob;
import org.rnn4j.tests.boundaries.planted.spi.PlantedContract;
import org.rnn4j.tests.boundaries.planted.spi.PlantedLeakyContract;
import org.rnn4j.tests.boundaries.planted.training.PlantedDistributedTrainer;
import org.rnn4j.tests.boundaries.planted.training.PlantedModelTrainer;
import org.rnn4j.tests.boundaries.planted.training.PlantedTrainer;

/**
 * Runs the same rule definitions as {@link ModuleBoundariesTest} over the planted miniature rnn4j
 * and checks that each rule fails, names the class that breaks it, does not name a compliant
 * class, and passes once the offending classes are left out.
 */
class PlantedViolationsTest {

    private static final String PLANTED = "org.rnn4j.tests.boundaries.planted";
    private static final ModuleRules RULES = new ModuleRules(PLANTED,
            "org.rnn4j.tests.boundaries.fake.incubator.vector", "org.rnn4j.tests.boundaries.fake.apache.spark");

    private static JavaClasses planted;

    @BeforeAll
    static void importPlantedClasses() {
        planted = new ClassFileImporter().importPackages(PLANTED);
    }

    @Test
    void theImportFoundEveryPlantedClass() {
        Set<String> names = planted.stream().map(JavaClass::getName).collect(Collectors.toSet());

        List.of(PlantedTensor.class, PlantedShape.class, PlantedContract.class, PlantedLeakyContract.class, PlantedCell.class,
                PlantedSimdCell.class, PlantedAttentiveCell.class, PlantedScorer.class, PlantedDemoScorer.class,
                PlantedTrainer.class, PlantedDistributedTrainer.class, PlantedExample.class,
                PlantedLayer.class, PlantedGreedyLayer.class,
                PlantedBenchmark.class, PlantedSparkJob.class, PlantedModel.class, PlantedModelTrainer.class,
                PlantedPairModel.class)
                .forEach(c -> assertTrue(names.contains(c.getName()), "not imported: " + c.getName()));
    }

    @Test
    void coreDependingOnAnotherModuleIsReported() {
        assertViolatedOnlyBy(RULES.coreDependsOnNoOtherModule(), Set.of(PlantedTensor.class), PlantedShape.class);
    }

    @Test
    void spiDependingOnAPluginModuleIsReported() {
        assertViolatedOnlyBy(RULES.spiDependsOnlyOnCore(), Set.of(PlantedLeakyContract.class), PlantedContract.class);
    }

    @Test
    void nnDependingOnAPluginModuleIsReported() {
        assertViolatedOnlyBy(RULES.nnDependsOnlyOnCoreAndSpi(), Set.of(PlantedGreedyLayer.class), PlantedLayer.class);
    }

    @Test
    void cellsDependingOnNnIsReported() {
        assertViolatedOnlyBy(RULES.cellsDoNotDependOnNn(), Set.of(PlantedAttentiveCell.class), PlantedCell.class);
    }

    @Test
    void aPluginModuleDependingOnAnotherIsReported() {
        assertViolatedOnlyBy(RULES.pluginModulesDoNotDependOnOneAnother(),
                Set.of(PlantedAttentiveCell.class), PlantedCell.class);
    }

    @Test
    void aPluginModuleDependingOnModelsIsReported() {
        assertViolatedOnlyBy(RULES.pluginModulesDoNotDependOnModels(), Set.of(PlantedModelTrainer.class), PlantedTrainer.class);
    }

    @Test
    void theVectorApiOutsideCoreIsReported() {
        assertViolatedOnlyBy(RULES.onlyCoreUsesTheVectorApi(), Set.of(PlantedSimdCell.class), PlantedCell.class);
    }

    @Test
    void dependenciesOnExamplesAndBenchAreReported() {
        assertViolatedOnlyBy(RULES.nothingDependsOnExamplesOrBench(),
                Set.of(PlantedDemoScorer.class, PlantedTrainer.class), PlantedCell.class);
    }

    @Test
    void dependenciesOnSparkAreReported() {
        String report = assertViolatedOnlyBy(RULES.libraryModulesDoNotDependOnSpark(),
                Set.of(PlantedDistributedTrainer.class), PlantedTrainer.class);

        assertTrue(report.contains(PlantedSparkJob.class.getName()), report);
        assertTrue(report.contains("org.rnn4j.tests.boundaries.fake.apache.spark.SparkContext"), report);
    }

    @Test
    void thirdPartyClassesInTheLibraryAreReported() {
        String report = assertViolatedOnlyBy(RULES.libraryModulesDependOnlyOnTheJdkAndRnn4j(),
                Set.of(PlantedDistributedTrainer.class, PlantedPairModel.class), PlantedModel.class);

        assertTrue(report.contains("org.rnn4j.tests.boundaries.fake.scala.Tuple2"), report);
        assertFalse(report.contains(PlantedSimdCell.class.getName()), "the Vector API is the JDK's:\n" + report);
    }

    @Test
    void aCycleBetweenModulesIsReported() {
        // PlantedTensor (core) -> PlantedCell (cells) -> PlantedTensor, and cells -> attention ->
        // examples -> cells and cells -> nn -> cells through PlantedAttentiveCell: leaving out those two
        // removes every cycle.
        assertViolatedOnlyBy(RULES.modulesAreFreeOfCycles(),
                Set.of(PlantedTensor.class, PlantedAttentiveCell.class), PlantedSparkJob.class);
    }

    @Test
    void rulesHaveSentenceLikeDescriptions() {
        assertEquals("core depends on no other rnn4j module", RULES.coreDependsOnNoOtherModule().getDescription());
        assertEquals("only core uses the Vector API (jdk.incubator.vector)",
                ModuleRules.RNN4J.onlyCoreUsesTheVectorApi().getDescription());
    }

    /**
     * Asserts that the rule fails on the planted classes, that its report names every offender and
     * not the compliant class, and that it passes when the offenders are left out; returns the report.
     */
    private static String assertViolatedOnlyBy(ArchRule rule, Set<Class<?>> offenders, Class<?> compliant) {
        EvaluationResult result = rule.evaluate(planted);
        String report = String.join("\n", result.getFailureReport().getDetails());

        assertTrue(result.hasViolation(), () -> "'" + rule.getDescription() + "' found no violation");
        for (Class<?> offender : offenders) {
            assertTrue(report.contains(offender.getName()), () -> offender.getName() + " not named in:\n" + report);
        }
        assertFalse(report.contains(compliant.getName()), () -> compliant.getName() + " wrongly named in:\n" + report);

        JavaClasses withoutOffenders = planted.that(not(belongToAnyOf(offenders.toArray(Class<?>[]::new))));
        EvaluationResult clean = rule.allowEmptyShould(true).evaluate(withoutOffenders);
        assertFalse(clean.hasViolation(), () -> "still violated without the offenders:\n"
                + String.join("\n", clean.getFailureReport().getDetails()));
        return report;
    }
}
