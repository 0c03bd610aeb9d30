package org.rnn4j.tests.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.UnknownPluginException;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.NonFiniteException;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.BatchSampler;

/**
 * The training loop on a model small enough to follow by hand: linear regression {@code y = w x + b}
 * on pairs {@code (x, y)}, mean squared error.
 */
class TrainerTest {

    /** 40 points on {@code y = 3x - 1}. */
    static List<float[]> line() {
        List<float[]> data = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            float x = (i - 20) / 10f;
            data.add(new float[] {x, 3 * x - 1});
        }
        return data;
    }

    private static Trainer.Builder<float[], List<float[]>> builder(Line model) {
        return Trainer.<float[], List<float[]>>builder(model, batch -> batch)
                .optimizer("sgd", Options.of("momentum", "0.5")).learningRate(0.05).batchSize(8).epochs(30).seed(7);
    }

    /** A built-in optimizer that records the rate of every step it applies. */
    static final class RecordingOptimizer implements Optimizer {
        final Optimizer inner;
        final List<Double> rates = new ArrayList<>();

        RecordingOptimizer(String name, Options options) {
            this.inner = Registries.optimizers().get(name).create(options);
        }

        @Override
        public void step(List<Parameter> parameters, double rate) {
            rates.add(rate);
            inner.step(parameters, rate);
        }

        @Override
        public long steps() {
            return inner.steps();
        }

        @Override
        public Map<String, Tensor> state() {
            return inner.state();
        }

        @Override
        public void loadState(Map<String, Tensor> state) {
            inner.loadState(state);
        }
    }

    private static TrainingListener onStep(Consumer<TrainingListener.StepEvent> action) {
        return new TrainingListener() {
            @Override
            public void onStep(TrainingListener.StepEvent event) {
                action.accept(event);
            }
        };
    }

    @Test
    void fitsALineAndReportsEveryStepAndEpoch() throws IOException {
        Line model = new Line();
        List<TrainingListener.StepEvent> steps = new ArrayList<>();
        List<TrainingListener.EpochEvent> epochs = new ArrayList<>();
        Trainer.History history = builder(model).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingListener.StepEvent event) {
                steps.add(event);
            }

            @Override
            public void onEpoch(TrainingListener.EpochEvent event) {
                epochs.add(event);
            }
        }).build().fit(line());
        assertArrayEquals(new float[] {3f, -1f}, model.weights(), 1e-3f);
        assertEquals(30 * 5, steps.size());
        assertEquals(30 * 5, history.steps());
        assertEquals(30, epochs.size());
        assertEquals(epochs, history.epochs());
        assertEquals(5, steps.getFirst().batches());
        assertTrue(epochs.getLast().train().loss() < 1e-5 && epochs.getFirst().train().loss() > 1, epochs.getFirst().toString());
        assertEquals(40, epochs.getLast().train().count());
        assertTrue(Double.isNaN(epochs.getLast().train().accuracy()), "a regression model reports no accuracy");
        assertNull(epochs.getLast().validation());
    }

    @Test
    void aPluginsWindowsThatCountAStepTwiceAreRefusedBeforeAnyStep() {
        Line model = new Line() {
            @Override
            public int unrolledLength(List<float[]> batch) {
                return 4;
            }
        };
        Trainer<float[], List<float[]>> trainer = builder(model).unrolling("test-repeating", Options.empty()).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(line()));
        assertEquals("unrolling 'test-repeating' gave windows [Window[gradientStart=0, lossStart=0, end=4], "
                + "Window[gradientStart=0, lossStart=0, end=4]] for 4 steps; their loss ranges [lossStart, end) must "
                + "cover steps 0 to 4 once, in order", e.getMessage());
        assertEquals(0, model.trainCalls);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() throws IOException {
        Line a = new Line();
        Line b = new Line();
        Line c = new Line();
        builder(a).epochs(3).build().fit(line());
        builder(b).epochs(3).build().fit(line());
        builder(c).epochs(3).seed(8).build().fit(line());
        assertArrayEquals(a.weights(), b.weights());
        assertFalse(java.util.Arrays.equals(a.weights(), c.weights()), "the seed shuffles the batches");
    }

    @Test
    void theNormBeforeClippingReachesListeners() throws IOException {
        Line model = new Line();
        List<TrainingListener.StepEvent> steps = new ArrayList<>();
        builder(model).epochs(1).gradientTransform("clip-norm", Options.of("max_norm", "0.1"))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingListener.StepEvent event) {
                        steps.add(event);
                    }
                }).build().fit(line());
        TrainingListener.StepEvent first = steps.getFirst();
        assertTrue(first.gradientNorm() > 1, "the first gradient is large: " + first);
        assertEquals(0.1, first.clippedNorm(), 1e-6);
    }

    @Test
    void earlyStoppingHaltsWhenValidationStopsImprovingAndRestoresTheBestWeights() throws IOException {
        // Training pulls w from -2 towards 3; the validation points lie on y = x - 1, so the validation
        // loss falls while w approaches 1 and rises once training pulls it beyond.
        Line model = new Line();
        model.w.value().data()[0] = -2f;
        List<float[]> validation = List.of(new float[] {1f, 0f}, new float[] {2f, 1f});
        Trainer.History history = builder(model).learningRate(0.005).optimizer("sgd", Options.empty()).epochs(200)
                .validation(validation).earlyStopping(3, 0).build().fit(line());
        assertTrue(history.stoppedEarly());
        assertTrue(history.epochs().size() < 200);
        double best = history.epochs().stream().mapToDouble(e -> e.validation().loss()).min().orElseThrow();
        List<TrainingListener.EpochEvent> tail = history.epochs().subList(history.epochs().size() - 3, history.epochs().size());
        assertTrue(tail.stream().noneMatch(TrainingListener.EpochEvent::improved), tail.toString());
        assertEquals(best, model.evaluate(validation).loss(), 1e-12, "the best epoch's weights are back");
    }

    @Test
    void aValidationFractionHoldsOutTheTailInOrder() throws IOException {
        List<float[]> data = line();
        Set<float[]> trained = Collections.newSetFromMap(new IdentityHashMap<>());
        Line model = new Line() {
            @Override
            public Result train(List<float[]> batch, UnrollingStrategy.Window window, Context context) {
                trained.addAll(batch);
                return super.train(batch, window, context);
            }
        };
        List<double[]> validated = new ArrayList<>();
        Trainer.History history = builder(model).epochs(2).validationFraction(0.25).listener(new TrainingListener() {
            @Override
            public void onEpoch(TrainingListener.EpochEvent event) {
                // The weights are still those the epoch's validation ran with.
                validated.add(new double[] {event.validation().loss(), model.evaluate(data.subList(30, 40)).loss(),
                        model.evaluate(data.subList(0, 10)).loss()});
            }
        }).build().fit(data);
        assertEquals(30, history.last().train().count());
        assertEquals(10, history.last().validation().count());
        assertEquals(30, trained.size(), "training saw 30 distinct examples");
        for (int i = 0; i < 30; i++) {
            assertTrue(trained.contains(data.get(i)), "training saw example " + i);
        }
        assertEquals(2, validated.size());
        for (double[] v : validated) {
            // The validation loss is the model's loss on the last ten examples, not on some other ten.
            // Line sums its per-example losses in float, so batching (8 + 2 against 10) shows in the 8th digit.
            assertEquals(v[1], v[0], 1e-6 * v[1], "validation loss against the tail's");
            assertTrue(Math.abs(v[2] - v[1]) > 1e-3 * v[1], "the head's loss " + v[2] + " differs from the tail's " + v[1]);
        }
        assertEquals(model.evaluate(data.subList(30, 40)).loss(), history.last().validation().loss(),
                1e-6 * history.last().validation().loss());
    }

    @Test
    void resumingFromAMidEpochCheckpointRepeatsTheUninterruptedRunBitForBit(@TempDir Path dir) throws IOException {
        Line uninterrupted = new Line();
        Trainer.History full = builder(uninterrupted).epochs(4).optimizer("adam", Options.empty())
                .checkpoints(dir.resolve("full"), 3, 100).build().fit(line());

        // A mid-epoch checkpoint: epoch 1 after batch 3, three steps after the end-of-epoch save at step 5.
        List<Path> saved = Checkpoints.list(dir.resolve("full"));
        Path middle = saved.stream().filter(p -> p.getFileName().toString().contains("-s000000000008-")).findFirst()
                .orElseThrow(() -> new AssertionError("no checkpoint at step 8 among " + saved));
        assertTrue(middle.getFileName().toString().contains("-e000001-b000000003"), middle.toString());

        Line resumed = new Line();
        Trainer.History rest = builder(resumed).epochs(4).optimizer("adam", Options.empty()).build().resume(middle, line());
        assertArrayEquals(uninterrupted.weights(), resumed.weights());
        assertEquals(full.epochs(), rest.epochs());
        assertEquals(full.steps(), rest.steps());
    }

    @Test
    void anOptimizerSharedWithAnotherModelKeepsItsBuffersOutOfTheCheckpoints(@TempDir Path dir) throws IOException {
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        Parameter elsewhere = new Parameter("elsewhere", Tensor.full(1f, 2));
        elsewhere.grad().fill(0.5f);
        adam.step(List.of(elsewhere), 0.1);
        builder(new Line()).optimizer(adam).epochs(2).checkpoints(dir, 1, 100).build().fit(line());
        Path last = Checkpoints.list(dir).getLast();
        Set<String> saved = org.rnn4j.core.io.SafeTensors.read(last).tensors().keySet();
        assertTrue(saved.contains("optimizer.exp_avg.w"), saved.toString());
        assertFalse(saved.stream().anyMatch(k -> k.endsWith(".elsewhere")), saved.toString());
        // Was refused: the checkpoint held state of a parameter the trainer lacks.
        builder(new Line()).epochs(3).optimizer("adam", Options.empty()).build().resume(last, line());
    }

    @Test
    void aStepScheduleSetsTheRateOfEveryStepAndTheOptimizerUsesIt() throws IOException {
        RecordingOptimizer sgd = new RecordingOptimizer("sgd", Options.of("momentum", "0.5"));
        List<TrainingListener.StepEvent> steps = new ArrayList<>();
        builder(new Line()).optimizer(sgd).epochs(3).schedule("step", Options.of("every", "4", "gamma", "0.5"))
                .listener(onStep(steps::add)).build().fit(line());
        // 0.05 halved every 4 steps: event k (1-based, this step included) ran at 0.05 * 0.5^((k - 1) / 4).
        double[] want = {0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125,
            0.00625, 0.00625, 0.00625};
        assertEquals(want.length, steps.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(i + 1, steps.get(i).step());
            assertEquals(want[i], steps.get(i).learningRate(), 1e-15, "step " + (i + 1));
            assertEquals(want[i], sgd.rates.get(i), 1e-15, "the optimizer's rate at step " + (i + 1));
        }
        assertEquals(want.length, sgd.rates.size());

        // Per epoch: a tenth of the rate at each new epoch, whatever the step.
        RecordingOptimizer perEpoch = new RecordingOptimizer("sgd", Options.empty());
        List<TrainingListener.StepEvent> epochSteps = new ArrayList<>();
        builder(new Line()).optimizer(perEpoch).epochs(3)
                .schedule("step", Options.of("every", "1", "gamma", "0.1", "per", "epoch"))
                .listener(onStep(epochSteps::add)).build().fit(line());
        assertEquals(15, epochSteps.size());
        for (int i = 0; i < epochSteps.size(); i++) {
            TrainingListener.StepEvent e = epochSteps.get(i);
            assertEquals(i / 5, e.epoch());
            assertEquals(0.05 * Math.pow(0.1, e.epoch()), e.learningRate(), 1e-15, "step " + e.step());
            assertEquals(e.learningRate(), perEpoch.rates.get(i), 0, "the optimizer's rate at step " + e.step());
        }
    }

    @Test
    void aResumedRunContinuesTheScheduleInsteadOfRestartingIt(@TempDir Path dir) throws IOException {
        Options schedule = Options.of("every", "3", "gamma", "0.5");
        Line uninterrupted = new Line();
        RecordingOptimizer fullSgd = new RecordingOptimizer("sgd", Options.of("momentum", "0.5"));
        List<TrainingListener.StepEvent> fullSteps = new ArrayList<>();
        builder(uninterrupted).optimizer(fullSgd).epochs(4).schedule("step", schedule)
                .checkpoints(dir.resolve("full"), 3, 100).listener(onStep(fullSteps::add)).build().fit(line());
        assertEquals(20, fullSteps.size());
        List<Path> saved = Checkpoints.list(dir.resolve("full"));
        Path middle = saved.stream().filter(p -> p.getFileName().toString().contains("-s000000000008-")).findFirst()
                .orElseThrow(() -> new AssertionError("no checkpoint at step 8 among " + saved));

        Line resumed = new Line();
        RecordingOptimizer restSgd = new RecordingOptimizer("sgd", Options.of("momentum", "0.5"));
        List<TrainingListener.StepEvent> restSteps = new ArrayList<>();
        builder(resumed).optimizer(restSgd).epochs(4).schedule("step", schedule).listener(onStep(restSteps::add))
                .build().resume(middle, line());
        assertEquals(12, restSteps.size());
        // Step 9 runs at 0.05 * 0.5^(8 / 3) = 0.0125, as in the uninterrupted run, not at the base rate.
        assertEquals(9, restSteps.getFirst().step());
        assertEquals(0.0125, restSteps.getFirst().learningRate(), 1e-15);
        for (int i = 0; i < restSteps.size(); i++) {
            TrainingListener.StepEvent want = fullSteps.get(8 + i);
            TrainingListener.StepEvent got = restSteps.get(i);
            assertEquals(want.step(), got.step());
            assertEquals(0.05 * Math.pow(0.5, (want.step() - 1) / 3), got.learningRate(), 1e-15, "step " + got.step());
            assertEquals(want.learningRate(), got.learningRate(), 0, "step " + got.step());
            assertEquals(want, got, "step " + got.step());
        }
        assertEquals(fullSgd.rates.subList(8, 20), restSgd.rates);
        assertArrayEquals(uninterrupted.weights(), resumed.weights());
    }

    @Test
    void resumingInAFolderWithLaterCheckpointsSetsThemAsideInsteadOfPruningTheNewRun(@TempDir Path dir)
            throws IOException {
        // Every 3 steps over 4 epochs of 5 steps: saves at steps 3, 5 (epoch end), 6, 9, 10, 12, 15, 18, 20.
        builder(new Line()).epochs(4).checkpoints(dir, 3, 3).build().fit(line());
        List<Path> first = Checkpoints.list(dir);
        assertEquals(3, first.size(), first.toString());
        Path from = first.getFirst();
        assertTrue(from.getFileName().toString().contains("-s000000000015-"), first.toString());

        // Resumed at step 15: the first run's 18 and 20 are set aside (kept, renamed) at once, and the
        // resumed run's saves (every 4 steps from there, and the epoch's end) join 15.
        builder(new Line()).epochs(4).checkpoints(dir, 4, 3).build().resume(from, line());
        List<String> now = Checkpoints.list(dir).stream().map(p -> p.getFileName().toString().substring(11, 25)).toList();
        assertEquals(List.of("s000000000015-", "s000000000019-", "s000000000020-"), now);
        for (Path later : first.subList(1, first.size())) {
            assertTrue(Files.exists(later.resolveSibling(later.getFileName() + ".abandoned")), later.toString());
        }
    }

    @Test
    void resumingOnOtherDataOrBatchSizeIsRefused(@TempDir Path dir) throws IOException {
        builder(new Line()).epochs(2).checkpoints(dir, 2, 10).build().fit(line());
        Path middle = Checkpoints.list(dir).getFirst();
        var data = assertThrows(IllegalArgumentException.class,
                () -> builder(new Line()).epochs(2).build().resume(middle, line().subList(0, 36)));
        assertEquals("Trainer.resume: the checkpoint was made training on 40 examples in batches of 8, given 36 in"
                + " batches of 8; resume with the same data and batch size", data.getMessage());
        var batch = assertThrows(IllegalArgumentException.class,
                () -> builder(new Line()).epochs(2).batchSize(10).build().resume(middle, line()));
        assertTrue(batch.getMessage().contains("given 40 in batches of 10"), batch.getMessage());
    }

    @Test
    void aSecondFitStartsTheOptimizerAfresh() throws IOException {
        Line twice = new Line();
        Trainer<float[], List<float[]>> trainer = builder(twice).epochs(2).build();
        trainer.fit(line());
        float[] afterFirst = twice.weights();
        trainer.fit(line());

        Line fresh = new Line();
        fresh.w.value().data()[0] = afterFirst[0];
        fresh.b.value().data()[0] = afterFirst[1];
        builder(fresh).epochs(2).build().fit(line());
        assertArrayEquals(fresh.weights(), twice.weights(), "momentum from the first fit must not carry over");
    }

    @Test
    void checkpointsKeepTheNewestAndLeaveNoTemporaryFiles(@TempDir Path dir) throws IOException {
        builder(new Line()).epochs(5).checkpoints(dir, 0, 2).build().fit(line());
        List<Path> saved = Checkpoints.list(dir);
        assertEquals(2, saved.size());
        assertEquals(saved.getLast(), Checkpoints.latest(dir).orElseThrow());
        assertTrue(saved.getLast().getFileName().toString().contains("-e000005-"), saved.toString());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only complete checkpoints remain");
        }
    }

    @Test
    void resumingRejectsACheckpointOfAnotherModelOrSeed(@TempDir Path dir) throws IOException {
        builder(new Line()).epochs(1).checkpoints(dir, 0, 1).build().fit(line());
        Path file = Checkpoints.latest(dir).orElseThrow();
        var seed = assertThrows(ModelFileException.class, () -> builder(new Line()).seed(9).build().resume(file, line()));
        assertTrue(seed.getMessage().contains("seed 7") && seed.getMessage().contains("seed 9"), seed.getMessage());

        Line other = new Line() {
            final Parameter extra = new Parameter("extra", Tensor.zeros(2));

            @Override
            public List<Parameter> parameters() {
                return List.of(w, b, extra);
            }
        };
        var shape = assertThrows(ModelFileException.class, () -> builder(other).build().resume(file, line()));
        assertTrue(shape.getMessage().contains("missing [extra]"), shape.getMessage());
    }

    @Test
    void aNonFiniteGradientStopsNamingTheStepAndParameterAndKeepsTheLastCheckpoint(@TempDir Path dir) throws IOException {
        List<float[]> data = line();
        data.set(37, new float[] {Float.NaN, 0f});
        Line model = new Line();
        Trainer<float[], List<float[]>> trainer = builder(model).sampler(BatchSampler.sequential(8))
                .checkpoints(dir, 1, 100).build();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> trainer.fit(data));
        assertEquals(4, e.step(), "batch 4 of epoch 0 holds the NaN");
        assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("loss is NaN"), e.getMessage());
        Path last = Checkpoints.latest(dir).orElseThrow();
        assertTrue(last.getFileName().toString().contains("-s000000000004-"), last.toString());
        assertArrayEquals(model.weights(), restoredWeights(last), "the checkpoint holds the weights before the bad step");
    }

    private static float[] restoredWeights(Path checkpoint) throws IOException {
        var tensors = org.rnn4j.core.io.SafeTensors.read(checkpoint).tensors();
        return new float[] {tensors.get("model.w").data()[0], tensors.get("model.b").data()[0]};
    }

    @Test
    void aNonFiniteGradientOfOneParameterIsNamed() {
        Line model = new Line() {
            @Override
            public Result train(List<float[]> batch, UnrollingStrategy.Window window, Context context) {
                Result r = super.train(batch, window, context);
                b.grad().data()[0] = Float.POSITIVE_INFINITY;
                return r;
            }
        };
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> builder(model).build().fit(line()));
        assertEquals("b", e.parameter());
        assertEquals(0, e.step());
        assertTrue(e.getMessage().contains("gradient of parameter 'b'"), e.getMessage());
        assertArrayEquals(new float[] {0.5f, 0f}, model.weights(), "no update was applied");
    }

    @Test
    void skippingNonFiniteStepsLeavesTheWeightsAndCountsThem() throws IOException {
        List<float[]> data = line();
        data.set(37, new float[] {Float.NaN, 0f});
        Line model = new Line();
        RecordingOptimizer sgd = new RecordingOptimizer("sgd", Options.of("momentum", "0.5"));
        List<TrainingListener.StepEvent> events = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<Long> optimizerSteps = new ArrayList<>();
        Trainer.History history = builder(model).optimizer(sgd).sampler(BatchSampler.sequential(8)).epochs(3)
                .onNonFinite(Trainer.OnNonFinite.SKIP).listener(onStep(e -> {
                    events.add(e);
                    weights.add(model.weights());
                    optimizerSteps.add(sgd.steps());
                })).build().fit(data);
        assertEquals(3, history.skipped());
        assertEquals(3 * 4, history.steps());
        assertEquals(3 * 5, events.size());
        for (int i = 0; i < events.size(); i++) {
            TrainingListener.StepEvent e = events.get(i);
            assertEquals(e.batch() == 4, e.skipped(), "batch 4 of each epoch holds the NaN: " + e);
            if (e.skipped()) {
                assertArrayEquals(weights.get(i - 1), weights.get(i), "the skipped step " + i + " left the weights as they were");
                assertEquals(optimizerSteps.get(i - 1), optimizerSteps.get(i), "the optimizer took no step at " + i);
                assertEquals(events.get(i - 1).step(), e.step(), "the trainer counted no step at " + i);
            } else {
                assertEquals(i == 0 ? 1 : optimizerSteps.get(i - 1) + 1, optimizerSteps.get(i), "one optimizer step at " + i);
            }
        }
        assertEquals(12, sgd.steps());
        assertEquals(12, sgd.rates.size());
        assertTrue(Float.isFinite(model.weights()[0]) && Float.isFinite(model.weights()[1]));
        // Nothing of the skipped steps remains, not even in the momentum: training on the 32 good
        // examples alone, in the same batches, ends with the same weights bit for bit.
        Line clean = new Line();
        builder(clean).sampler(BatchSampler.sequential(8)).epochs(3).build().fit(line().subList(0, 32));
        assertArrayEquals(clean.weights(), model.weights());
    }

    @Test
    void badConfigurationFailsBeforeAnyStep() {
        var unknown = assertThrows(UnknownPluginException.class, () -> builder(new Line()).optimizer("adamax", Options.empty()));
        assertTrue(unknown.getMessage().contains("adam") && unknown.getMessage().contains("sgd"), unknown.getMessage());
        var clip = assertThrows(IllegalArgumentException.class,
                () -> builder(new Line()).gradientTransform("clip-norm", Options.of("max_norm", "-1")));
        assertTrue(clip.getMessage().contains("max_norm"), clip.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> builder(new Line()).build().fit(List.of()));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        var stopping = assertThrows(IllegalArgumentException.class,
                () -> builder(new Line()).earlyStopping(2, 0).build().fit(line()));
        assertTrue(stopping.getMessage().contains("validation"), stopping.getMessage());

        List<float[]> data = line();
        data.set(39, new float[] {5000f, 0f});
        Line model = new Line();
        var range = assertThrows(IllegalArgumentException.class, () -> builder(model).build().fit(data));
        assertTrue(range.getMessage().contains("5000"), range.getMessage());
        assertEquals(0, model.trainCalls, "the bad example was found before training started");
    }
}
