package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Parameter;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;

/** Data-parallel training against the local trainer, in {@code local[2]} mode. */
class SparkTrainerTest {

    private static final List<int[]> DATA = CharModels.sequences(120, 1);

    private final JavaSparkContext sc = LocalSpark.context();

    @TempDir
    Path dir;

    /** One configuration for local and distributed runs: shuffled batches, clipping, Adam, validation. */
    private static <E, B> Trainer.Builder<E, B> configure(Trainer.Builder<E, B> builder) {
        return builder.optimizer("adam", Options.empty()).learningRate(0.01)
                .gradientTransform("clip-norm", Options.of("max_norm", "0.5"))
                .batchSize(16).epochs(2).seed(5).validationFraction(0.2);
    }

    private SparkTrainer<int[], SequenceBatch> spark(Trainable<SequenceBatch> model, double dropout) {
        return SparkTrainer.of(sc, model, () -> CharModels.languageModel(dropout), CharModels::collate);
    }

    private Trainer.History fitOnSpark(SequenceModel model, double dropout, int sourcePartitions, int partitions,
                                       int epochs) throws IOException {
        SparkTrainer<int[], SequenceBatch> spark = spark(model, dropout);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, sourcePartitions), partitions)) {
            return configure(spark.trainer(data)).epochs(epochs).build().fit(data.ids());
        }
    }

    @Test
    void onePartitionTrainsBitForBitAsTheLocalTrainer() throws IOException {
        SequenceModel local = CharModels.languageModel(0.2);
        Trainer.History localHistory = configure(Trainer.<int[], SequenceBatch>builder(local, CharModels::collate))
                .build().fit(DATA);

        SequenceModel distributed = CharModels.languageModel(0.2);
        Trainer.History sparkHistory = fitOnSpark(distributed, 0.2, 1, 1, 2);

        assertSameWeights(local, distributed);
        assertEquals(localHistory, sparkHistory);
        assertTrue(localHistory.steps() == 12 && localHistory.last().validation().count() > 0, localHistory.toString());
    }

    @Test
    void threePartitionsRepeatBitForBitAndFollowTheBatchMeanGradient() throws IOException {
        SequenceModel first = CharModels.languageModel(0);
        SequenceModel second = CharModels.languageModel(0);
        Trainer.History history = fitOnSpark(first, 0, 3, 3, 1);
        fitOnSpark(second, 0, 3, 3, 1);
        assertSameWeights(first, second);

        SequenceModel local = CharModels.languageModel(0);
        Trainer.History localHistory = configure(Trainer.<int[], SequenceBatch>builder(local, CharModels::collate))
                .epochs(1).build().fit(DATA);
        // The mean of the shards' gradients weighted by their token counts is the batch's gradient,
        // up to float rounding: the runs stay within rounding of each other.
        for (int i = 0; i < local.parameters().size(); i++) {
            float[] want = local.parameters().get(i).value().data();
            float[] got = first.parameters().get(i).value().data();
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], got[j], 2e-4, local.parameters().get(i).name() + "[" + j + "]");
            }
        }
        assertEquals(localHistory.last().validation().loss(), history.last().validation().loss(), 1e-4);
        assertTrue(history.last().validation().loss() < Math.log(CharModels.VOCABULARY),
                "the model learns, below the uniform guess: " + history);
    }

    @Test
    void threePartitionsFollowTheBatchMeanGradientUnderPlainSgd() throws IOException {
        // Adam and clip-norm hide a uniform scale on the gradient; plain SGD without clipping does not.
        SequenceModel distributed = CharModels.languageModel(0);
        SparkTrainer<int[], SequenceBatch> spark = spark(distributed, 0);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 3), 3)) {
            plainSgd(spark.trainer(data)).build().fit(data.ids());
        }
        SequenceModel local = CharModels.languageModel(0);
        plainSgd(Trainer.<int[], SequenceBatch>builder(local, CharModels::collate)).build().fit(DATA);
        assertSameWeightsWithin(local, distributed, 2e-5);
        assertTrue(maxDifference(local, CharModels.languageModel(0)) > 1e-2, "the steps moved the weights");
    }

    private static <E, B> Trainer.Builder<E, B> plainSgd(Trainer.Builder<E, B> builder) {
        return builder.optimizer("sgd", Options.empty()).learningRate(0.5).batchSize(16).epochs(1).seed(5);
    }

    @Test
    void aStepThatMeetsANonFiniteValueOnTheExecutorsIsSkippedAsLocally() throws IOException {
        SequenceModel model = CharModels.languageModel(0);
        SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, model,
                () -> new CharModels.Faulty(CharModels.languageModel(0)), CharModels::collate);
        CharModels.Faulty.divergeAt = 3;
        Trainer.History history;
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 2), 2)) {
            history = configure(spark.trainer(data)).epochs(1).onNonFinite(Trainer.OnNonFinite.SKIP).build()
                    .fit(data.ids());
        } finally {
            CharModels.Faulty.divergeAt = -1;
        }
        assertEquals(1, history.skipped(), history.toString());
        assertEquals(5, history.steps(), history.toString());
        for (var p : model.parameters()) {
            for (float v : p.value().data()) {
                assertTrue(Float.isFinite(v), p.name());
            }
        }
    }

    @Test
    void aDecoderPolicyThatDrawsItsOwnWayMustBeSerializable() {
        org.rnn4j.spi.training.DecoderInputPolicy schedule = (step, epoch) -> 0.25;
        var shipped = SparkTrainer.shippable(schedule, 7, 1);
        assertTrue(shipped instanceof java.io.Serializable);
        for (int t = 0; t < 50; t++) {
            assertEquals(schedule.useGroundTruth(3, 7, 1, t, 2), shipped.useGroundTruth(3, 7, 1, t, 2), "time step " + t);
        }
        org.rnn4j.spi.training.DecoderInputPolicy own = new org.rnn4j.spi.training.DecoderInputPolicy() {
            @Override
            public double groundTruthProbability(long step, int epoch) {
                return 0.5;
            }

            @Override
            public boolean useGroundTruth(long seed, long step, int epoch, int timeStep, int row) {
                return timeStep % 2 == 0;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.shippable(own, 0, 0));
        assertTrue(e.getMessage().contains("overrides useGroundTruth and is not Serializable"), e.getMessage());
    }

    @Test
    void aSourceThatFailsWhileItIsMovedIsTheDataErrorItself() {
        SparkTrainer<int[], SequenceBatch> spark = spark(CharModels.languageModel(0), 0);
        org.apache.spark.api.java.JavaRDD<int[]> broken = sc.parallelize(DATA, 2).map(s -> {
            throw new IllegalArgumentException("record " + s.length + " is corrupt");
        });
        var e = assertThrows(IllegalArgumentException.class, () -> spark.distribute(broken, 3));
        assertTrue(e.getMessage().startsWith("record ") && e.getMessage().endsWith(" is corrupt"), e.getMessage());
    }

    @Test
    void theAggregationDepthDoesNotChangeTheBits() throws IOException {
        // With six partitions, depth 2 (the default) makes treeAggregate combine partial sums in an
        // intermediate shuffle, grouping partitions by index modulo the group count; depth 1 merges on the driver.
        SequenceModel flat = CharModels.languageModel(0);
        SequenceModel deep = CharModels.languageModel(0);
        for (var run : List.of(Map.entry(flat, 1), Map.entry(deep, 2))) {
            SparkTrainer<int[], SequenceBatch> spark = spark(run.getKey(), 0).aggregationDepth(run.getValue());
            try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 6), 6)) {
                configure(spark.trainer(data)).epochs(1).build().fit(data.ids());
            }
        }
        assertSameWeights(flat, deep);
        var e = assertThrows(IllegalArgumentException.class, () -> spark(flat, 0).aggregationDepth(0));
        assertTrue(e.getMessage().contains("depth must be >= 1, given 0"), e.getMessage());
    }

    @Test
    void movingExamplesIntoPartitionsKeepsTheirOrder() throws IOException {
        SequenceModel moved = CharModels.languageModel(0);
        SequenceModel sliced = CharModels.languageModel(0);
        fitOnSpark(moved, 0, 3, 2, 1);
        fitOnSpark(sliced, 0, 2, 2, 1);
        assertSameWeights(sliced, moved);
    }

    @Test
    void aFailedJobResumesFromTheDriversCheckpointAsIfUninterrupted() throws IOException {
        SequenceModel uninterrupted = CharModels.languageModel(0.2);
        fitWithCheckpoints(uninterrupted, dir.resolve("uninterrupted"));

        Path runs = dir.resolve("failed");
        CharModels.Faulty.failAt = 10;
        SparkException failure = assertThrows(SparkException.class,
                () -> fitWithCheckpoints(CharModels.languageModel(0.2), runs));
        assertTrue(failure.getMessage().contains("executor lost at step 10"), failure.getMessage());
        Path latest = Checkpoints.latest(runs).orElseThrow();
        assertTrue(latest.getFileName().toString().startsWith("checkpoint-s000000000009-e000001-"), latest.toString());

        SequenceModel resumed = CharModels.languageModel(0.2);
        SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, resumed,
                () -> new CharModels.Faulty(CharModels.languageModel(0.2)), CharModels::collate);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 2), 2)) {
            configure(spark.trainer(data)).checkpoints(runs, 3, 2).build().resume(latest, data.ids());
        }
        assertSameWeights(uninterrupted, resumed);
    }

    private void fitWithCheckpoints(SequenceModel model, Path runs) throws IOException {
        SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, model,
                () -> new CharModels.Faulty(CharModels.languageModel(0.2)), CharModels::collate);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 2), 2)) {
            configure(spark.trainer(data)).checkpoints(runs, 3, 2).build().fit(data.ids());
        }
    }

    @Test
    void windowsShorterThanABatchAreRefusedBeforeAnyUpdate() {
        SequenceModel model = CharModels.languageModel(0);
        float[] before = model.parameters().getFirst().value().data().clone();
        SparkTrainer<int[], SequenceBatch> spark = spark(model, 0);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 2), 2)) {
            Trainer<Integer, SparkBatch> trainer = configure(spark.trainer(data))
                    .unrolling("truncated-bptt", Options.of("k1", "5")).build();
            var e = assertThrows(IllegalStateException.class, () -> trainer.fit(data.ids()));
            assertTrue(e.getMessage().contains("use unrolling 'bptt'"), e.getMessage());
        }
        assertArrayEquals(before, model.parameters().getFirst().value().data());
    }

    @Test
    void badExamplesAreNamedBeforeTheFirstStep() {
        List<int[]> bad = new java.util.ArrayList<>(DATA.subList(0, 10));
        bad.set(7, new int[] {2, 5, 99, 6});
        SparkTrainer<int[], SequenceBatch> spark = spark(CharModels.languageModel(0), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> spark.distribute(sc.parallelize(bad, 2), 2));
        assertTrue(e.getMessage().contains("example 2 of partition 1") && e.getMessage().contains("token id 99"),
                e.getMessage());
    }

    @Test
    void aFactoryForAnotherArchitectureIsNamed() {
        SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, CharModels.languageModel(0),
                SparkTrainerTest::smaller, CharModels::collate);
        try (DistributedData<int[]> data = spark.distribute(sc.parallelize(DATA, 2), 2)) {
            var e = assertThrows(SparkException.class, () -> configure(spark.trainer(data)).build().fit(data.ids()));
            assertTrue(e.getMessage().contains("the factory must build the driver's architecture"), e.getMessage());
        }
    }

    private static SequenceModel smaller() {
        return SequenceModel.builder(org.rnn4j.nn.Recurrent.builder("lstm").inputSize(6).hiddenSize(4).seed(1).build())
                .vocabulary(CharModels.VOCABULARY, 0).outputs(CharModels.VOCABULARY)
                .output(SequenceModel.Output.SEQUENCE).objective(SequenceModel.Objective.CLASSIFICATION).build();
    }

    private static void assertSameWeightsWithin(Trainable<?> want, Trainable<?> got, double tolerance) {
        double worst = maxDifference(want, got);
        assertTrue(worst <= tolerance, "weights differ by up to " + worst + ", tolerance " + tolerance);
    }

    private static double maxDifference(Trainable<?> a, Trainable<?> b) {
        double worst = 0;
        for (int i = 0; i < a.parameters().size(); i++) {
            float[] x = a.parameters().get(i).value().data();
            float[] y = b.parameters().get(i).value().data();
            for (int j = 0; j < x.length; j++) {
                worst = Math.max(worst, Math.abs(x[j] - y[j]));
            }
        }
        return worst;
    }

    private static void assertSameWeights(Trainable<?> want, Trainable<?> got) {
        List<Parameter> w = want.parameters();
        List<Parameter> g = got.parameters();
        assertEquals(w.size(), g.size());
        for (int i = 0; i < w.size(); i++) {
            assertArrayEquals(w.get(i).value().data(), g.get(i).value().data(), w.get(i).name());
        }
    }
}
