package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Ops;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.UnknownPluginException;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerSpec;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.Losses;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.BatchSampler;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Windowing;

/**
 * Walks the public entry points with bad inputs (negative and zero sizes, wrong shapes, empty
 * sequences, lengths outside the data, ids out of range, unknown plugin names, bad options and
 * builder settings) and requires each to fail with an {@link IllegalArgumentException} (or the
 * documented subtype) whose message names the argument, what was expected and what was given.
 */
class BadInputTest {

    /** One bad call and the parts its message must hold: the argument, the expectation, the given value. */
    private record Case(String name, Class<? extends IllegalArgumentException> type, Executable call, String... parts) {
    }

    private static Case bad(String name, Executable call, String... parts) {
        return new Case(name, IllegalArgumentException.class, call, parts);
    }

    private static Case unknown(String name, Executable call, String... parts) {
        return new Case(name, UnknownPluginException.class, call, parts);
    }

    /** The backward pass of a training score of query {@code [2, 4]} over keys {@code [2, 3, 4]}. */
    private static AttentionScorer.Backward scoreBackward(String scorer) {
        return Registries.scorers().get(scorer).create(new ScorerSpec(4, 4, 5, Options.empty(), 1))
                .score(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3), true);
    }

    @Test
    void nullOptionsAreNamed() {
        Trainer.Builder<SequenceBatch, SequenceBatch> trainer = Trainer.builder(
                SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4).build()).build(), List::getFirst);
        NullPointerException e = assertThrows(NullPointerException.class, () -> trainer.optimizer("adam", null));
        assertTrue(e.getMessage().contains("options") && e.getMessage().contains("Options.empty()"), e.getMessage());
    }

    @Test
    void aSamplerIndexOutsideTheDataIsNamed() {
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4).build()).build();
        SequenceBatch batch = new SequenceBatch(Tensor.zeros(1, 2, 3), null, null, Tensor.zeros(1, 1), null);
        Trainer<SequenceBatch, SequenceBatch> trainer = Trainer.<SequenceBatch, SequenceBatch>builder(model, List::getFirst)
                .sampler((size, epoch) -> List.of(new int[] {0, size})).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.fit(List.of(batch, batch)));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("[0, 2)"), e.getMessage());
    }

    private static final Trainable.Context CONTEXT = new Trainable.Context(0, 0, 1, null);

    @Test
    void aStridePastTheSeriesGivesOneWindow() {
        // start + stride passes Integer.MAX_VALUE: the loop must stop, not wrap around.
        assertEquals(1, Windowing.windows(new float[10], 2, 1, Integer.MAX_VALUE).size());
    }

    @Test
    void aSecondBackwardThroughAnAttentionStepIsRefused() {
        Attention attention = Attention.create("general", 4, 4, 0, Options.empty(), 1);
        Attention.Step step = attention.forward(Tensor.full(0.5f, 2, 4), Tensor.full(0.25f, 2, 3, 4), null, true);
        step.backward(Tensor.full(1f, 2, 4), null);
        float[] once = attention.parameters().getFirst().grad().data().clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> step.backward(Tensor.full(1f, 2, 4), null));
        assertEquals("Attention.backward: already ran for this step", e.getMessage());
        assertArrayEquals(once, attention.parameters().getFirst().grad().data());
    }

    @Test
    void aRowOutsideTheBatchIsAnIndexError() {
        SequenceBatch batch = new SequenceBatch(Tensor.zeros(2, 3, 1), null, null, null, null);
        assertThrows(IndexOutOfBoundsException.class, () -> batch.length(2));
        assertThrows(IndexOutOfBoundsException.class, () -> batch.length(-1));
    }

    @TestFactory
    Stream<DynamicTest> everyPublicEntryPointNamesTheArgumentTheExpectationAndTheGivenValue() {
        Recurrent lstm = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).layers(2).build();
        Tensor x = Tensor.zeros(2, 5, 3);
        Dense dense = new Dense(4, 2, 1);
        Embedding embedding = new Embedding(5, 3, 0, 1);
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4).build()).build();
        SequenceModel forecaster = SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4).build())
                .outputs(3).build();
        Trainer.Builder<SequenceBatch, SequenceBatch> trainer = Trainer.builder(model, List::getFirst);
        SequenceModel tagger = SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4).build())
                .output(SequenceModel.Output.SEQUENCE).build();
        SequenceBatch tags = new SequenceBatch(Tensor.zeros(1, 3, 3), null, null, Tensor.zeros(1, 3, 1), null);
        SequenceModel bidirectionalTagger = SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4)
                .bidirectional(true).build()).output(SequenceModel.Output.SEQUENCE).build();
        List<Case> cases = List.of(
                // tensors
                bad("Tensor.zeros negative dimension", () -> Tensor.zeros(2, -1), "dimensions", ">= 0", "[2, -1]"),
                bad("Tensor.zeros too large", () -> Tensor.zeros(1 << 20, 1 << 20), "[1048576, 1048576]", "more than",
                        "bytes"),
                bad("Tensor.wrap wrong length", () -> Tensor.wrap(new float[5], 2, 3), "shape [2, 3]", "needs 6", "has 5"),
                bad("Tensor.reshape wrong size", () -> Tensor.zeros(2, 3).reshape(4, 2), "[2, 3]", "[4, 2]", "8 values"),
                bad("Tensor.dim out of range", () -> Tensor.zeros(2, 3).dim(2), "axis 2", "out of range", "[2, 3]"),
                bad("Tensor.copyFrom other shape", () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)), "source",
                        "[2, 3]", "[3, 2]"),
                bad("Ops.gemm wrong shape", () -> Ops.get().matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)), "3", "4"),
                // recurrent layers
                unknown("unknown cell", () -> Recurrent.builder("lstn"), "lstn", "known cells", "lstm"),
                bad("inputSize not set", () -> Recurrent.builder("lstm").hiddenSize(4).build(), "inputSize", ">= 1",
                        "not set"),
                bad("inputSize zero", () -> Recurrent.builder("lstm").inputSize(0).hiddenSize(4).build(), "inputSize",
                        ">= 1", "given 0"),
                bad("hiddenSize negative", () -> Recurrent.builder("gru").inputSize(3).hiddenSize(-2).build(),
                        "hiddenSize", ">= 1", "given -2"),
                bad("layers zero", () -> Recurrent.builder("rnn").inputSize(3).hiddenSize(2).layers(0).build(), "layers",
                        ">= 1", "given 0"),
                bad("dropout one", () -> Recurrent.builder("rnn").inputSize(3).hiddenSize(2).dropout(1).build(), "dropout",
                        "[0, 1)", "given 1.0"),
                bad("unknown cell option", () -> Recurrent.builder("rnn").inputSize(3).hiddenSize(2)
                        .options(Options.of("nonlinearity", "sigmoid")).build(), "nonlinearity", "relu, tanh", "sigmoid"),
                bad("forward rank 2", () -> lstm.forward(Tensor.zeros(2, 3)), "input", "rank 3", "[2, 3]"),
                bad("forward wrong features", () -> lstm.forward(Tensor.zeros(2, 5, 7)), "input", "expects 3", "7 features"),
                bad("forward length past T", () -> lstm.forward(x, new int[] {5, 9}, null, false), "lengths[1]", "[0, 5]",
                        "given 9"),
                bad("forward negative length", () -> lstm.forward(x, new int[] {-1, 2}, null, false), "lengths[0]",
                        "[0, 5]", "given -1"),
                bad("forward lengths count", () -> lstm.forward(x, new int[] {5}, null, false), "lengths", "1 entries",
                        "batch has 2"),
                bad("forward unknown state", () -> lstm.forward(x, null, Map.of("z", Tensor.zeros(2, 2, 4)), false),
                        "initial state 'z'", "[h, c]", "unknown"),
                bad("forward state shape", () -> lstm.forward(x, null, Map.of("h", Tensor.zeros(1, 2, 4)), false),
                        "initial state 'h'", "[2, 2, 4]", "[1, 2, 4]"),
                bad("stream batch zero", () -> lstm.stream(0), "batch", ">= 1", "given 0"),
                bad("stream step shape", () -> lstm.stream(2).step(Tensor.zeros(3, 3)), "x", "[2, 3]", "[3, 3]"),
                bad("stream unknown state", () -> lstm.stream(1).state("q"), "state 'q'", "[h, c]", "unknown"),
                // dense and embedding
                bad("Dense size zero", () -> new Dense(0, 3, 1), "in", ">= 1", "in=0"),
                bad("Dense wrong input", () -> dense.forward(Tensor.zeros(2, 5)), "last dimension", "4", "[2, 5]"),
                bad("Embedding vocabulary zero", () -> new Embedding(0, 3, -1, 1), "vocabulary", ">= 1", "vocabulary=0"),
                bad("Embedding padding id", () -> new Embedding(5, 3, 5, 1), "paddingId", "[0, 5)", "given 5"),
                bad("Embedding id out of range", () -> embedding.forward(new int[][] {{1, 7}}), "id 7", "[0, 1]",
                        "[0, 5)"),
                bad("Embedding negative id", () -> embedding.forward(new int[][] {{-3}}), "id -3", "[0, 0]", "[0, 5)"),
                bad("Embedding ragged rows", () -> embedding.forward(new int[][] {{1, 2}, {1}}), "row 1", "1 ids",
                        "row 0 has 2"),
                bad("one-hot id out of range", () -> Embedding.oneHot(new int[][] {{3}}, 3), "id 3", "[0, 3)", "[0, 0]"),
                bad("one-hot classes negative", () -> Embedding.oneHot(new int[][] {{0}}, -1), "classes", ">= 1",
                        "given -1"),
                // plugins by name
                unknown("unknown optimizer", () -> Registries.optimizers().get("adamm"), "adamm", "adam"),
                unknown("unknown unrolling", () -> Registries.unrolling().get("tbptt"), "tbptt", "truncated-bptt"),
                unknown("unknown clipping", () -> Registries.gradientTransforms().get("clip"), "clip", "clip-norm"),
                unknown("unknown schedule", () -> Registries.learningRateSchedules().get("linear"), "linear", "cosine"),
                unknown("unknown scorer", () -> Attention.create("bahdanau", 4, 4, 4, Options.empty(), 1), "bahdanau",
                        "additive"),
                bad("unknown optimizer option", () -> Registries.optimizers().get("adam").create(Options.of("beta3", "1")),
                        "beta3", "beta1", "adam"),
                bad("optimizer option out of range", () -> Registries.optimizers().get("adam").create(
                        Options.of("beta1", "2")), "optimizer 'adam'", "beta1", "2", "["),
                bad("unrolling option out of range", () -> Registries.unrolling().get("truncated-bptt").create(
                        Options.of("k1", "0")), "unrolling 'truncated-bptt'", "k1", ">= 1", "given 0"),
                bad("attention keys of another width", () -> Attention.create("dot", 4, 4, 4, Options.empty(), 1)
                        .forward(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 5), null, false), "keys", "4", "5"),
                bad("attention length zero", () -> Attention.create("dot", 4, 4, 4, Options.empty(), 1)
                        .forward(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 4), new int[] {3, 0}, false), "lengths[1]",
                        "[1, 3]", "given 0"),
                bad("attention query of another width", () -> Attention.create("general", 4, 4, 0, Options.empty(), 1)
                        .forward(Tensor.zeros(2, 5), Tensor.zeros(2, 3, 4), null, false), "query", "[2, 4]", "[2, 5]"),
                bad("attention keys without positions", () -> Attention.create("dot", 4, 4, 0, Options.empty(), 1)
                        .forward(Tensor.zeros(2, 4), Tensor.zeros(2, 0, 4), null, false), "keys", "at least one position",
                        "[2, 0, 4]"),
                bad("additive scorer past an array's size", () -> Attention.create("additive", 4, 4, 8192, Options.empty(),
                        1).forward(Tensor.zeros(64, 4), Tensor.zeros(64, 4096, 4), null,
                        false), "scorer 'additive'", "[64, 4096, 8192]", "more than a Java array holds"),
                bad("dot scorer backward, dScores of another length", () -> scoreBackward("dot")
                        .run(Tensor.zeros(2, 2), null, null), "dScores", "[2, 3]", "[2, 2]"),
                bad("general scorer backward, dQuery of another width", () -> scoreBackward("general")
                        .run(Tensor.zeros(2, 3), Tensor.zeros(2, 5), null), "dQuery", "[2, 4]", "[2, 5]"),
                bad("additive scorer backward, dKeys of another length", () -> scoreBackward("additive")
                        .run(Tensor.zeros(2, 3), null, Tensor.zeros(2, 4, 4)), "dKeys", "[2, 3, 4]", "[2, 4, 4]"),
                // batches and data
                bad("batch with a null token row", () -> new SequenceBatch(null, new int[][] {{1, 2}, null}, null, null,
                        null), "token row 1", "null"),
                bad("null token sequence", () -> Batches.tokens(Arrays.asList(new int[] {1}, null), 0), "Batches.tokens",
                        "sequence 1", "null"),
                bad("null tag row", () -> Batches.tagging(List.of(new int[] {1}), Arrays.asList((int[]) null), 0),
                        "tags of sequence 0", "null"),
                bad("null feature step", () -> Batches.features(List.<float[][]>of(new float[][] {{1}, null})), "sequence 0 step 1",
                        "null"),
                bad("null window", () -> Windowing.batch(Arrays.asList(new Windowing.Window(new float[][] {{1}},
                        new float[][] {{2}}), null)), "window 1", "null"),
                bad("null series step", () -> Windowing.windows(new float[][] {{1}, null, {3}}, 1, 1, 1), "step 1",
                        "null"),
                bad("window of a length past the int range", () -> Windowing.windows(new float[10], Integer.MAX_VALUE, 1,
                        1), "series of 10 steps", "too short", Integer.MAX_VALUE + " input steps"),
                bad("permutation of a negative size", () -> BatchSampler.permutation(-2, 1), "size", ">= 0", "given -2"),
                bad("windows of other widths", () -> Windowing.batch(List.of(
                        new Windowing.Window(new float[][] {{1, 2}}, new float[][] {{3}}),
                        new Windowing.Window(new float[][] {{1, 2, 3}}, new float[][] {{3}}))), "window 1", "row 0",
                        "3 values", "have 2"),
                bad("reshape with two unknown dimensions", () -> Tensor.zeros(2, 6).reshape(-1, -1),
                        "at most one -1", "[-1, -1]", "[2, 6]"),
                bad("batch with features and tokens", () -> new SequenceBatch(Tensor.zeros(1, 2, 3), new int[][] {{1, 2}},
                        null, null, null), "features", "tokens", "both"),
                bad("batch of empty sequences", () -> new SequenceBatch(Tensor.zeros(2, 0, 3), null, null, null, null),
                        "at least one step", "T = 0", "B = 2"),
                bad("batch length past T", () -> new SequenceBatch(Tensor.zeros(2, 4, 3), null, new int[] {4, 6}, null,
                        null), "length of row 1", "0..4", "6"),
                bad("batch negative length", () -> new SequenceBatch(Tensor.zeros(2, 4, 3), null, new int[] {-1, 2}, null,
                        null), "length of row 0", "0..4", "-1"),
                bad("batch targets of another batch size", () -> new SequenceBatch(Tensor.zeros(2, 4, 3), null, null,
                        Tensor.zeros(3, 1), null), "targets", "[3, 1]", "batch size 2"),
                bad("model input of the wrong width", () -> model.predict(new SequenceBatch(Tensor.zeros(1, 2, 5), null,
                        null, null, null)), "input", "5 features", "expects 3"),
                bad("features given to a token model", () -> SequenceModel.builder(Recurrent.builder("gru").inputSize(3)
                        .hiddenSize(4).build()).vocabulary(5, 0).build().predict(new SequenceBatch(Tensor.zeros(1, 2, 3),
                        null, null, null, null)), "SequenceModel.predict", "token ids (vocabulary 5)", "has features"),
                bad("per-sequence model on an empty sequence", () -> model.evaluate(new SequenceBatch(Tensor.zeros(2, 3, 3),
                        null, new int[] {3, 0}, Tensor.zeros(2, 1), null)), "sequence 1", "empty", "at least one step"),
                bad("empty token sequence", () -> Batches.tokens(List.of(new int[0]), 0), "sequence 0", "0 tokens",
                        "at least 1"),
                bad("window longer than the series", () -> Windowing.windows(new float[5], 6, 1, 1), "series of 5 steps",
                        "too short", "6 input steps"),
                bad("mse shapes", () -> Losses.mse(Tensor.zeros(2, 1), Tensor.zeros(3, 1)), "target", "[2, 1]", "[3, 1]"),
                bad("label out of range", () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 4}, -1, 0), "label 4",
                        "row 1", "[0, 3)"),
                // models and trainer
                bad("model outputs zero", () -> SequenceModel.builder(Recurrent.builder("gru").inputSize(3).hiddenSize(4)
                        .build()).outputs(0), "outputs", ">= 1", "given 0"),
                bad("model vocabulary negative", () -> SequenceModel.builder(Recurrent.builder("gru").inputSize(3)
                        .hiddenSize(4).build()).vocabulary(-5, -1), "vocabulary", ">= 0", "-5"),
                bad("forecast horizon zero", () -> forecaster.forecast(Tensor.zeros(1, 2, 3), 0), "horizon >= 1",
                        "[B >= 1, T >= 1, 3]", "given [1, 2, 3] and 0"),
                bad("forecast of no sequences", () -> forecaster.forecast(Tensor.zeros(0, 2, 3), 1), "history",
                        "[B >= 1, T >= 1, 3]", "given [0, 2, 3]"),
                bad("training window past the batch", () -> tagger.train(tags, new UnrollingStrategy.Window(0, 0, 5),
                        CONTEXT), "window", "end=5", "ends past the batch's 3 steps"),
                bad("first window of a batch not at step 0", () -> tagger.train(tags, new UnrollingStrategy.Window(1, 1, 3),
                        CONTEXT), "window", "lossStart=1", "first starting its loss at step 0"),
                bad("bidirectional tagger given part of a batch", () -> bidirectionalTagger.train(tags,
                        new UnrollingStrategy.Window(0, 0, 2), CONTEXT), "window", "end=2", "part of the batch's 3 steps",
                        "bidirectional", "'bptt'"),
                bad("per-sequence model given a window", () -> model.train(new SequenceBatch(Tensor.zeros(1, 3, 3), null,
                        null, Tensor.zeros(1, 1), null), new UnrollingStrategy.Window(0, 0, 3), CONTEXT), "window",
                        "end=3", "1 step"),
                bad("trainer epochs zero", () -> trainer.epochs(0), "epochs", ">= 1", "given 0"),
                bad("trainer batch size negative", () -> trainer.batchSize(-4), "batch size", ">= 1", "given -4"),
                bad("trainer learning rate NaN", () -> trainer.learningRate(Double.NaN), "learning rate", "> 0", "NaN"),
                bad("trainer validation fraction", () -> trainer.validationFraction(1.5), "validation fraction", "(0, 1)",
                        "1.5"),
                bad("trainer patience zero", () -> trainer.earlyStopping(0, 0), "patience", ">= 1", "given 0"),
                bad("trainer checkpoints keep zero", () -> trainer.checkpoints(Path.of("ckpt"), 1, 0), "keep", ">= 1", "0"),
                unknown("trainer unknown optimizer", () -> trainer.optimizer("sgdd", Options.empty()), "sgdd", "sgd"),
                bad("trainer on no data", () -> trainer.build().fit(List.of()), "training data", "empty", "0 examples"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            IllegalArgumentException e = assertThrows(c.type(), c.call(), c.name());
            for (String part : c.parts()) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                        c.name() + ": the message should name '" + part + "': " + e.getMessage());
            }
        }));
    }
}
