package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.PAD;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.Trainable;

/**
 * The decoder input hook: {@code train} asks the context's policy, per step and row, whether to
 * feed the ground truth; otherwise it feeds the argmax of its own previous output.
 */
class DecoderInputPolicyTest {

    private static final int VOCAB = 10;

    private static Seq2Seq model() {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(6).hiddenSize(8).seed(3).build();
        return Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("gru", 8)
                .attention(AttentionStyle.LUONG, "general").seed(4).build();
    }

    /** Every call a policy gets, answering with a fixed decision. */
    private record Recording(boolean groundTruth, List<long[]> calls) implements DecoderInputPolicy {
        Recording(boolean groundTruth) {
            this(groundTruth, new ArrayList<>());
        }

        @Override
        public double groundTruthProbability(long step, int epoch) {
            return groundTruth ? 1 : 0;
        }

        @Override
        public boolean useGroundTruth(long seed, long step, int epoch, int timeStep, int row) {
            calls.add(new long[] {seed, step, epoch, timeStep, row});
            return groundTruth;
        }
    }

    private static Seq2SeqBatch batch() {
        return Seq2SeqFixtures.randomBatch(new SplittableRandom(5), 6, 3, 7, 2, 6, VOCAB);
    }

    @Test
    void thePolicyIsAskedForEveryRealStepAfterTheFirstWithTheTrainingPosition() {
        Seq2Seq model = model();
        Seq2SeqBatch batch = batch();
        Recording policy = new Recording(true);
        model.train(batch, WHOLE, new Trainable.Context(17, 2, 99, policy));
        List<String> expected = new ArrayList<>();
        for (int t = 1; t < batch.targetSteps(); t++) {
            for (int r = 0; r < batch.size(); r++) {
                if (t < batch.targetLengths()[r]) {
                    expected.add("99 17 2 " + t + " " + r);
                }
            }
        }
        List<String> got = policy.calls().stream().map(c -> c[0] + " " + c[1] + " " + c[2] + " " + c[3] + " " + c[4])
                .toList();
        assertEquals(expected, got);
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefusedNotReadAsNever() {
        DecoderInputPolicy nan = (step, epoch) -> Double.NaN;
        var e = assertThrows(IllegalStateException.class, () -> nan.useGroundTruth(1, 2, 0, 3, 0));
        assertTrue(e.getMessage().contains("groundTruthProbability(2, 0) is NaN, expected a probability in [0, 1]"),
                e.getMessage());
        DecoderInputPolicy above = (step, epoch) -> 1.5;
        assertThrows(IllegalStateException.class, () -> above.useGroundTruth(1, 2, 0, 3, 0));
    }

    @Test
    void teacherForcingFeedsTheTargets() {
        Seq2Seq model = model();
        Seq2SeqBatch batch = batch();
        double forced = model.train(batch, WHOLE, new Trainable.Context(0, 0, 1, new Recording(true))).loss();
        // evaluate() feeds the targets by definition.
        assertEquals(model.evaluate(batch).loss(), forced, 1e-9);
        double registered = model.train(batch, WHOLE, Seq2SeqFixtures.context("teacher-forcing")).loss();
        assertEquals(forced, registered, 1e-9);
    }

    /**
     * Free running feeds the model's own argmax: on targets that are the model's own greedy output
     * it sees exactly what teacher forcing sees, and on other targets it does not.
     */
    @Test
    void freeRunningFeedsTheModelsOwnArgmax() {
        Seq2Seq model = model();
        Seq2SeqBatch batch = batch();
        List<Hypothesis> greedy = model.greedy(batch.source(), batch.sourceLengths(), 6);
        int[][] own = new int[batch.size()][];
        int[][] sources = new int[batch.size()][];
        for (int r = 0; r < batch.size(); r++) {
            own[r] = greedy.get(r).tokens();
            sources[r] = java.util.Arrays.copyOf(batch.source()[r], batch.sourceLengths()[r]);
        }
        Seq2SeqBatch ownTargets = Seq2SeqBatch.of(sources, own, PAD);
        Trainable.Context free = new Trainable.Context(0, 0, 1, new Recording(false));
        Trainable.Context forced = new Trainable.Context(0, 0, 1, new Recording(true));
        assertEquals(model.train(ownTargets, WHOLE, forced).loss(), model.train(ownTargets, WHOLE, free).loss(), 1e-6);
        // The argmax always matches its own target, so accuracy is complete.
        Trainable.Result result = model.train(ownTargets, WHOLE, free);
        assertEquals(result.count(), result.correct());

        double freeLoss = model.train(batch, WHOLE, free).loss();
        double forcedLoss = model.train(batch, WHOLE, forced).loss();
        assertNotEquals(forcedLoss, freeLoss, 1e-4);
        assertEquals(freeLoss, model.train(batch, WHOLE, Seq2SeqFixtures.context("free-running")).loss(), 1e-9);
    }

    /** Scheduled sampling mixes the two per step and row: its loss lies apart from both pure policies. */
    @Test
    void scheduledSamplingMixesPerStepAndRow() {
        Seq2Seq model = model();
        Seq2SeqBatch batch = batch();
        DecoderInputPolicy half = (step, epoch) -> 0.5;
        Trainable.Context mixed = new Trainable.Context(0, 0, 1, half);
        int truths = 0;
        int draws = 0;
        for (int t = 1; t < batch.targetSteps(); t++) {
            for (int r = 0; r < batch.size(); r++) {
                if (t < batch.targetLengths()[r]) {
                    draws++;
                    truths += half.useGroundTruth(1, 0, 0, t, r) ? 1 : 0;
                }
            }
        }
        assertTrue(truths > 0 && truths < draws, "the seeded draws should mix: " + truths + " of " + draws);
        double loss = model.train(batch, WHOLE, mixed).loss();
        assertNotEquals(model.train(batch, WHOLE, new Trainable.Context(0, 0, 1, new Recording(true))).loss(), loss, 1e-6);
        assertNotEquals(model.train(batch, WHOLE, new Trainable.Context(0, 0, 1, new Recording(false))).loss(), loss, 1e-6);
        assertEquals(loss, model.train(batch, WHOLE, mixed).loss(), 1e-9, "draws are a pure function of the position");
    }
}
