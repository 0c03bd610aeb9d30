package org.rnn4j.tests.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.tests.TestTensors;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;

class SequenceModelTest {

    private static final Trainable.Context CONTEXT = new Trainable.Context(0, 0, 1,
            Registries.decoderInputPolicies().get("teacher-forcing").create(Options.empty()));

    private static SequenceModel regression(String cell) {
        return SequenceModel.builder(Recurrent.builder(cell).inputSize(3).hiddenSize(5).seed(3).build())
                .outputs(2).seed(4).build();
    }

    private static SequenceModel tagger(String cell, boolean bidirectional) {
        return SequenceModel.builder(Recurrent.builder(cell).inputSize(4).hiddenSize(5).layers(2)
                        .bidirectional(bidirectional).seed(5).build())
                .vocabulary(7, 0).outputs(3).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).labelSmoothing(0.1).seed(6).build();
    }

    private static SequenceBatch regressionBatch() {
        SplittableRandom rng = new SplittableRandom(8);
        return new SequenceBatch(random(rng, 3, 6, 3), null, new int[] {6, 2, 4}, random(rng, 3, 2), null);
    }

    private static SequenceBatch taggingBatch() {
        int[][] tokens = {{3, 1, 4, 1, 5, 6}, {2, 6, 5, 0, 0, 0}, {1, 1, 2, 3, 5, 0}};
        int[][] labels = {{0, 1, 2, 0, -1, 1}, {2, 2, 1, -1, -1, -1}, {1, 0, 0, 2, 1, -1}};
        return new SequenceBatch(null, tokens, new int[] {6, 3, 5}, null, labels);
    }

    /** Compares the gradient of {@code train} with central differences of {@code evaluate} on a sample of every parameter. */
    private static void assertGradientsMatchFiniteDifferences(SequenceModel model, SequenceBatch batch) {
        model.parameters().forEach(Parameter::zeroGrad);
        model.train(batch, new UnrollingStrategy.Window(0, 0, model.unrolledLength(batch)), CONTEXT);
        SplittableRandom pick = new SplittableRandom(9);
        for (Parameter p : model.parameters()) {
            float[] w = p.value().data();
            for (int n = 0; n < Math.min(8, w.length); n++) {
                int i = pick.nextInt(w.length);
                float saved = w[i];
                float h = 1e-2f;
                w[i] = saved + h;
                double up = model.evaluate(batch).loss();
                w[i] = saved - h;
                double down = model.evaluate(batch).loss();
                w[i] = saved;
                double numeric = (up - down) / (2 * h);
                double analytic = p.grad().data()[i];
                assertEquals(numeric, analytic, 2e-3 + 2e-2 * Math.abs(numeric), p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void perSequenceRegressionGradientsMatchFiniteDifferences() {
        assertGradientsMatchFiniteDifferences(regression("lstm"), regressionBatch());
        assertGradientsMatchFiniteDifferences(regression("gru"), regressionBatch());
    }

    @Test
    void perStepClassificationGradientsMatchFiniteDifferencesWithPaddingAndIgnoredLabels() {
        assertGradientsMatchFiniteDifferences(tagger("lstm", false), taggingBatch());
        assertGradientsMatchFiniteDifferences(tagger("gru", true), taggingBatch());
    }

    @Test
    void predictionReadsNeitherLabelsNorTargets() {
        SequenceModel model = tagger("gru", false);
        SequenceBatch labelled = taggingBatch();
        Tensor bare = model.predict(new SequenceBatch(null, labelled.tokens(), labelled.lengths(), null, null));
        // Row 0 has an ignored label (-1) at a real step: it still gets its prediction.
        assertArrayEquals(bare.data(), model.predict(labelled).data());
        float[] ignoredStep = java.util.Arrays.copyOfRange(bare.data(), 4 * 3, 5 * 3);
        assertTrue(Math.abs(ignoredStep[0]) + Math.abs(ignoredStep[1]) + Math.abs(ignoredStep[2]) > 0,
                "row 0, step 4: " + java.util.Arrays.toString(ignoredStep));
        // Labels of another width (one per sequence) are not the tagger's business when predicting.
        int[][] perSequence = {{0}, {1}, {2}};
        assertArrayEquals(bare.data(), model.predict(new SequenceBatch(null, labelled.tokens(), labelled.lengths(), null,
                perSequence)).data());
    }

    @Test
    void paddingNeitherCountsNorGetsGradient() {
        SequenceModel model = tagger("gru", false);
        SequenceBatch batch = taggingBatch();
        Trainable.Result result = model.evaluate(batch);
        assertEquals(5 + 3 + 5, result.count(), "real steps with a label (row 0 has one -1 within its length)");
        model.parameters().forEach(Parameter::zeroGrad);
        Trainable.Result trained = model.train(batch, new UnrollingStrategy.Window(0, 0, 6), CONTEXT);
        List<float[]> cleanGrads = model.parameters().stream().map(p -> p.grad().data().clone()).toList();
        Parameter embedding = model.parameters().getFirst();
        assertEquals("embedding.weight", embedding.name());
        for (int j = 0; j < 4; j++) {
            assertEquals(0f, embedding.grad().data()[j], "the padding id's embedding gets no gradient");
        }

        // The embedding skips the padding id's row whatever happens, so the check above cannot see a
        // padded step leaking into the loss or the gradients. Put a real id (6) and a real label (1) at
        // every step past each sequence's length: nothing may change.
        int[][] tokens = new int[3][];
        int[][] labels = new int[3][];
        for (int r = 0; r < 3; r++) {
            tokens[r] = batch.tokens()[r].clone();
            labels[r] = batch.labels()[r].clone();
            java.util.Arrays.fill(tokens[r], batch.lengths()[r], 6, 6);
            java.util.Arrays.fill(labels[r], batch.lengths()[r], 6, 1);
        }
        SequenceBatch dirty = new SequenceBatch(null, tokens, batch.lengths(), null, labels);
        Trainable.Result dirtyResult = model.evaluate(dirty);
        assertEquals(result.count(), dirtyResult.count(), "padded steps are not counted");
        assertEquals(result.correct(), dirtyResult.correct(), "padded steps are not scored");
        assertEquals(result.loss(), dirtyResult.loss(), 1e-6, "padded steps add nothing to the loss");
        assertArrayEquals(model.predict(batch).data(), model.predict(dirty).data(), 1e-6f, "predictions");
        model.parameters().forEach(Parameter::zeroGrad);
        Trainable.Result dirtyTrained = model.train(dirty, new UnrollingStrategy.Window(0, 0, 6), CONTEXT);
        assertEquals(trained.loss(), dirtyTrained.loss(), 1e-6, "training loss");
        assertEquals(trained.count(), dirtyTrained.count(), "training count");
        for (int i = 0; i < cleanGrads.size(); i++) {
            Parameter p = model.parameters().get(i);
            assertArrayEquals(cleanGrads.get(i), p.grad().data(), 1e-6f, p.name() + ": padded steps add no gradient");
        }
        float[] row6 = java.util.Arrays.copyOfRange(embedding.grad().data(), 6 * 4, 7 * 4);
        assertTrue(Math.abs(row6[0]) + Math.abs(row6[1]) + Math.abs(row6[2]) + Math.abs(row6[3]) > 0,
                "id 6 occurs at real steps too, so its row has a gradient to compare: " + java.util.Arrays.toString(row6));
    }

    @Test
    void truncatedWindowsCarryTheStateAndBackPropagateThroughTheirOwnSpan() {
        SequenceBatch batch = taggingBatch();
        int[][] secondHalf = new int[3][];
        for (int b = 0; b < 3; b++) {
            secondHalf[b] = batch.labels()[b].clone();
            java.util.Arrays.fill(secondHalf[b], 0, 3, SequenceModel.IGNORE);
        }
        SequenceBatch lateLabels = new SequenceBatch(null, batch.tokens(), batch.lengths(), null, secondHalf);

        // Full BPTT of the loss of steps 3..5, from the whole sequence.
        SequenceModel full = tagger("lstm", false);
        full.parameters().forEach(Parameter::zeroGrad);
        Trainable.Result fullResult = full.train(lateLabels, new UnrollingStrategy.Window(0, 0, 6), CONTEXT);
        List<float[]> fullGrads = full.parameters().stream().map(p -> p.grad().data().clone()).toList();

        // k1 = 3, k2 = 6: the second window's loss is that of steps 3..5, back-propagated through all six.
        SequenceModel windowed = tagger("lstm", false);
        List<UnrollingStrategy.Window> windows = Registries.unrolling().get("truncated-bptt")
                .create(Options.of("k1", "3", "k2", "6")).windows(6);
        assertEquals(List.of(new UnrollingStrategy.Window(0, 0, 3), new UnrollingStrategy.Window(0, 3, 6)), windows);
        windowed.train(batch, windows.get(0), CONTEXT);
        windowed.parameters().forEach(Parameter::zeroGrad);
        Trainable.Result second = windowed.train(batch, windows.get(1), CONTEXT);
        assertEquals(fullResult.loss(), second.loss(), 1e-6);
        assertEquals(fullResult.count(), second.count());
        for (int i = 0; i < fullGrads.size(); i++) {
            assertArrayEquals(fullGrads.get(i), windowed.parameters().get(i).grad().data(), 1e-5f,
                    windowed.parameters().get(i).name());
        }

        // k1 = k2 = 3: the second window starts from the carried state, so its loss is still exact.
        SequenceModel cut = tagger("lstm", false);
        cut.train(batch, new UnrollingStrategy.Window(0, 0, 3), CONTEXT);
        Trainable.Result carried = cut.train(batch, new UnrollingStrategy.Window(3, 3, 6), CONTEXT);
        assertEquals(fullResult.loss(), carried.loss(), 1e-6);
    }

    @Test
    void truncatedBpttWithOneWindowOfTheWholeSequenceIsFullBptt() {
        List<UnrollingStrategy.Window> truncated = Registries.unrolling().get("truncated-bptt")
                .create(Options.of("k1", "6", "k2", "6")).windows(6);
        List<UnrollingStrategy.Window> full = Registries.unrolling().get("bptt").create(Options.empty()).windows(6);
        // Equal windows: the model sees the same calls, so nothing else can differ.
        assertEquals(full, truncated);
    }

    @Test
    void saveAndLoadKeepThePredictions(@TempDir Path dir) throws IOException {
        SequenceModel model = tagger("lstm", true);
        // Away from the seeded initialization: a load that rebuilt the weights from the seeds fails below.
        TestTensors.perturb(model.parameters());
        Path file = dir.resolve("tagger.safetensors");
        model.save(file);
        SequenceModel loaded = SequenceModel.load(file);
        assertEquals(model.toString(), loaded.toString());
        assertEquals(model.parameters().size(), loaded.parameters().size());
        for (int i = 0; i < model.parameters().size(); i++) {
            Parameter want = model.parameters().get(i);
            Parameter got = loaded.parameters().get(i);
            assertEquals(want.name(), got.name());
            assertArrayEquals(want.shape(), got.shape(), want.name());
            assertArrayEquals(want.value().data(), got.value().data(), want.name());
        }
        SequenceModel seeded = tagger("lstm", true);
        assertTrue(!java.util.Arrays.equals(seeded.parameters().get(1).value().data(),
                loaded.parameters().get(1).value().data()), "the perturbed weights are not the seeded ones");

        SequenceBatch batch = taggingBatch();
        assertArrayEquals(model.predict(batch).data(), loaded.predict(batch).data(), 1e-6f, "predictions");
        // The loss depends on the label smoothing (0.1), which neither the weights nor toString show.
        Trainable.Result want = model.evaluate(batch);
        Trainable.Result got = loaded.evaluate(batch);
        assertEquals(want.loss(), got.loss(), 1e-6, "loss, label smoothing included");
        assertEquals(want.count(), got.count());
        assertEquals(want.correct(), got.correct());
        SequenceModel unsmoothed = SequenceModel.builder(Recurrent.builder("lstm").inputSize(4).hiddenSize(5).layers(2)
                        .bidirectional(true).seed(5).build())
                .vocabulary(7, 0).outputs(3).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(6).build();
        for (int i = 0; i < model.parameters().size(); i++) {
            unsmoothed.parameters().get(i).value().copyFrom(model.parameters().get(i).value());
        }
        assertTrue(Math.abs(unsmoothed.evaluate(batch).loss() - want.loss()) > 1e-3,
                "without label smoothing the same weights score another loss, so the check above can see it lost");

        Path layer = dir.resolve("layer.safetensors");
        model.recurrent().save(layer);
        var e = assertThrows(ModelFileException.class, () -> SequenceModel.load(layer));
        assertTrue(e.getMessage().contains("rnn4j-sequence-model") && e.getMessage().contains("layer.safetensors"),
                e.getMessage());
        Files.writeString(dir.resolve("junk.safetensors"), "not a model");
        assertThrows(ModelFileException.class, () -> SequenceModel.load(dir.resolve("junk.safetensors")));
    }

    @Test
    void forecastingFeedsEachPredictionBackAsTheNextInput() {
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(2).hiddenSize(6).seed(1).build())
                .outputs(2).seed(2).build();
        Tensor history = random(new SplittableRandom(3), 2, 5, 2);
        Tensor forecast = model.forecast(history, 3);
        assertArrayEquals(new int[] {2, 3, 2}, forecast.shape());
        Tensor growing = history;
        for (int s = 0; s < 3; s++) {
            Tensor next = model.predict(new SequenceBatch(growing, null, null, null, null));
            for (int b = 0; b < 2; b++) {
                for (int f = 0; f < 2; f++) {
                    assertEquals(next.get(b, f), forecast.get(b, s, f), 1e-5, "step " + s);
                }
            }
            growing = append(growing, next);
        }
    }

    private static Tensor append(Tensor sequence, Tensor step) {
        int b = sequence.dim(0);
        int t = sequence.dim(1);
        int f = sequence.dim(2);
        Tensor longer = Tensor.zeros(b, t + 1, f);
        for (int r = 0; r < b; r++) {
            System.arraycopy(sequence.data(), r * t * f, longer.data(), r * (t + 1) * f, t * f);
            System.arraycopy(step.data(), r * f, longer.data(), (r * (t + 1) + t) * f, f);
        }
        return longer;
    }

    @Test
    void generationIsSeededAndAtLowTemperatureFollowsTheArgmax() {
        SequenceModel lm = SequenceModel.builder(Recurrent.builder("lstm").inputSize(4).hiddenSize(8).seed(1).build())
                .vocabulary(6, -1).outputs(6).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
        int[] prompt = {1, 2, 3};
        assertArrayEquals(lm.generate(prompt, 10, 1.0, 5), lm.generate(prompt, 10, 1.0, 5));
        int[] greedy = lm.generate(prompt, 4, 1e-4, 5);
        int[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + greedy.length);
        for (int i = 0; i < greedy.length; i++) {
            int[][] tokens = {java.util.Arrays.copyOf(sequence, prompt.length + i)};
            Tensor logits = lm.predict(new SequenceBatch(null, tokens, null, null, null));
            int last = tokens[0].length - 1;
            int best = 0;
            for (int j = 1; j < 6; j++) {
                if (logits.get(0, last, j) > logits.get(0, last, best)) {
                    best = j;
                }
            }
            assertEquals(best, greedy[i], "token " + i);
            sequence[prompt.length + i] = greedy[i];
        }
    }

    @Test
    void badBatchesAreNamed() {
        SequenceModel tagger = tagger("gru", false);
        int[][] labels = {{0, 1, 2, 0, 3, 1}, {2, 2, 1, -1, -1, -1}, {1, 0, 0, 2, 1, -1}};
        var label = assertThrows(IllegalArgumentException.class, () -> tagger.check(
                new SequenceBatch(null, taggingBatch().tokens(), taggingBatch().lengths(), null, labels)));
        assertTrue(label.getMessage().contains("label 3 in row 0") && label.getMessage().contains("[0, 3)"), label.getMessage());
        var token = assertThrows(IllegalArgumentException.class, () -> tagger.check(
                new SequenceBatch(null, new int[][] {{9}}, null, null, new int[][] {{1}})));
        assertTrue(token.getMessage().contains("token id 9"), token.getMessage());
        var features = assertThrows(IllegalArgumentException.class, () -> regression("lstm").check(
                new SequenceBatch(Tensor.zeros(1, 2, 5), null, null, Tensor.zeros(1, 2), null)));
        assertTrue(features.getMessage().contains("5 features") && features.getMessage().contains("expects 3"),
                features.getMessage());
        var targets = assertThrows(IllegalArgumentException.class, () -> regression("lstm").check(
                new SequenceBatch(Tensor.zeros(1, 2, 3), null, null, Tensor.zeros(1, 3), null)));
        assertTrue(targets.getMessage().contains("[1, 2]"), targets.getMessage());
    }

    @Test
    void aTaggerLearnsToEchoTheTokenThreeStepsBackUnderTruncatedBptt() throws IOException {
        // Echoing needs memory across the window boundary at step 10: the carried state supplies it.
        SplittableRandom rng = new SplittableRandom(21);
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < 384; i++) {
            int[] s = new int[20];
            for (int t = 0; t < 20; t++) {
                s[t] = 1 + rng.nextInt(4);
            }
            sequences.add(s);
        }
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(8).hiddenSize(32).seed(1).build())
                .vocabulary(5, 0).outputs(5).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
        Trainer.History history = Trainer.<int[], SequenceBatch>builder(model, SequenceModelTest::echoBatch)
                .optimizer("adam", Options.empty()).learningRate(0.01).batchSize(32).epochs(12).seed(3)
                .unrolling("truncated-bptt", Options.of("k1", "10"))
                .gradientTransform("clip-norm", Options.of("max_norm", "5"))
                .validationFraction(0.25).build().fit(sequences);
        double accuracy = history.last().validation().accuracy();
        assertTrue(accuracy > 0.95, "held-out accuracy " + accuracy + ", history " + history.epochs());
        assertEquals(12 * 9 * 2, history.steps(), "two windows per batch, nine batches per epoch");
    }

    @Test
    void aBidirectionalTaggerCutIntoWindowsIsRefusedBeforeTheFirstStep() throws IOException {
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sequences.add(new int[] {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4});
        }
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(4).hiddenSize(5)
                        .bidirectional(true).seed(1).build())
                .vocabulary(5, 0).outputs(5).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
        float[] before = model.parameters().getFirst().value().data().clone();
        int[] steps = {0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Trainer.<int[], SequenceBatch>builder(model, SequenceModelTest::echoBatch).batchSize(4).epochs(1)
                        .unrolling("truncated-bptt", Options.of("k1", "8"))
                        .listener(new org.rnn4j.training.TrainingListener() {
                            @Override
                            public void onStep(StepEvent event) {
                                steps[0]++;
                            }
                        }).build().fit(sequences));
        assertTrue(e.getMessage().contains("checkWindows: window") && e.getMessage().contains("'bptt'"), e.getMessage());
        assertEquals(0, steps[0], "no step before the refusal");
        assertArrayEquals(before, model.parameters().getFirst().value().data());
        // Whole sequences train.
        Trainer.<int[], SequenceBatch>builder(model, SequenceModelTest::echoBatch).batchSize(4).epochs(1).build()
                .fit(sequences);
    }

    @Test
    void aResumedRunWithDropoutEndsWithTheSameWeightsBitForBit(@TempDir Path dir) throws IOException {
        // Dropout masks derive from the trainer's seed and step, not from a counter in the layer,
        // so a fresh process resuming a checkpoint draws the same masks.
        SplittableRandom rng = new SplittableRandom(5);
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            int[] s = new int[20];
            for (int t = 0; t < 20; t++) {
                s[t] = 1 + rng.nextInt(4);
            }
            sequences.add(s);
        }
        java.util.function.Supplier<SequenceModel> fresh = () -> SequenceModel.builder(Recurrent.builder("lstm")
                        .inputSize(6).hiddenSize(12).layers(2).dropout(0.3).seed(1).build())
                .vocabulary(5, 0).outputs(5).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
        java.util.function.Function<SequenceModel, Trainer<int[], SequenceBatch>> trainer = m ->
                Trainer.<int[], SequenceBatch>builder(m, SequenceModelTest::echoBatch).optimizer("adamw", Options.empty())
                        .batchSize(16).epochs(2).seed(3).unrolling("truncated-bptt", Options.of("k1", "8", "k2", "12"))
                        .checkpoints(dir, 4, 100).build();
        SequenceModel uninterrupted = fresh.get();
        trainer.apply(uninterrupted).fit(sequences);
        Path middle = org.rnn4j.training.Checkpoints.list(dir).get(1);
        assertTrue(middle.getFileName().toString().contains("-e000000-"), "a checkpoint inside the first epoch: " + middle);
        SequenceModel resumed = fresh.get();
        trainer.apply(resumed).resume(middle, sequences);
        for (int i = 0; i < resumed.parameters().size(); i++) {
            assertArrayEquals(uninterrupted.parameters().get(i).value().data(), resumed.parameters().get(i).value().data(),
                    resumed.parameters().get(i).name());
        }
    }

    /** Inputs are the tokens; the label at step t is the token at t - 3 (none for the first three steps). */
    private static SequenceBatch echoBatch(List<int[]> sequences) {
        int[][] tokens = sequences.toArray(new int[0][]);
        int[][] labels = new int[tokens.length][20];
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < 20; t++) {
                labels[b][t] = t < 3 ? SequenceModel.IGNORE : tokens[b][t - 3];
            }
        }
        return new SequenceBatch(null, tokens, null, null, labels);
    }

    @Test
    void parameterNamesArePrefixedByPart() {
        Map<String, int[]> shapes = new java.util.LinkedHashMap<>();
        tagger("lstm", false).parameters().forEach(p -> shapes.put(p.name(), p.shape()));
        assertTrue(shapes.containsKey("embedding.weight"));
        assertTrue(shapes.containsKey("recurrent.weight_ih_l0"));
        assertTrue(shapes.containsKey("recurrent.weight_hh_l1"));
        assertArrayEquals(new int[] {3, 5}, shapes.get("head.weight"));
        assertArrayEquals(new int[] {3}, shapes.get("head.bias"));
    }
}
