package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.LearningRateSchedule;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.spi.training.Trainable;

/**
 * Reversing a sequence of 10 to 20 symbols (8 symbols, so most sequences repeat some): output
 * token {@code t} is source token {@code len - 1 - t}. With attention the decoder can look each one
 * up by position (the bidirectional encoder's outputs know their distance from either end);
 * without, it must squeeze the whole sequence through the bridged final state. Both train for the
 * same 600 seeded Adam steps on batches of 32; held-out accuracy is exact-sequence accuracy of
 * greedy decoding on 200 fresh sequences.
 */
class ReversalLearningTest {

    private static final int SYMBOLS = 8;
    private static final int VOCAB = 4 + SYMBOLS;
    private static final int MIN_LENGTH = 10;
    private static final int MAX_LENGTH = 20;
    private static final int STEPS = 600;

    /** Random sources and their reversals, each target ending with the end-of-sequence token. */
    private static Seq2SeqBatch batch(SplittableRandom rng, int size) {
        return Seq2SeqFixtures.reversal(Seq2SeqFixtures.rows(rng, size, MIN_LENGTH, MAX_LENGTH, VOCAB));
    }

    private static Seq2Seq model(boolean attention) {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(16).hiddenSize(32).bidirectional(true).seed(21).build();
        Seq2Seq.Builder b = Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("lstm", 64).seed(22);
        if (attention) {
            b.attention(AttentionStyle.LUONG, "general");
        }
        return b.build();
    }

    /** A local training loop (Adam at 0.02 with cosine decay, gradient norm clipped at 1, teacher forcing). */
    private static void train(Seq2Seq model) {
        List<Parameter> params = model.parameters();
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        LearningRateSchedule cosine = Registries.learningRateSchedules().get("cosine")
                .create(Options.of("total", Integer.toString(STEPS), "min_factor", "0.05"));
        GradientTransform clip = Registries.gradientTransforms().get("clip-norm").create(Options.of("max_norm", "1"));
        DecoderInputPolicy teacherForcing = Seq2SeqFixtures.policy("teacher-forcing");
        SplittableRandom rng = new SplittableRandom(23);
        for (int step = 0; step < STEPS; step++) {
            params.forEach(Parameter::zeroGrad);
            model.train(batch(rng, 32), WHOLE, new Trainable.Context(step, 0, 24, teacherForcing));
            clip.apply(params);
            adam.step(params, cosine.rate(0.02, step, 0));
        }
    }

    /** Held-out exact-sequence accuracy, and the mean attention weight on the aligned source position. */
    private static double[] heldOut(Seq2Seq model) {
        Seq2SeqBatch test = batch(new SplittableRandom(99), 200);
        List<Hypothesis> decoded = model.greedy(test.source(), test.sourceLengths(), MAX_LENGTH + 5);
        int exact = 0;
        double aligned = 0;
        int steps = 0;
        for (int r = 0; r < test.size(); r++) {
            Hypothesis h = decoded.get(r);
            if (Arrays.equals(Arrays.copyOf(test.target()[r], test.targetLengths()[r]), h.tokens())) {
                exact++;
            }
            int len = test.sourceLengths()[r];
            for (int t = 0; h.attention() != null && t < Math.min(len, h.tokens().length); t++) {
                aligned += h.attention()[t][len - 1 - t];
                steps++;
            }
        }
        return new double[] {exact / (double) test.size(), steps == 0 ? 0 : aligned / steps};
    }

    @Test
    void attentionLearnsToReverseAndLooksAtTheAlignedPositionWhileNoAttentionFallsBehind() {
        long start = System.nanoTime();
        Seq2Seq withAttention = model(true);
        train(withAttention);
        double[] att = heldOut(withAttention);
        long mid = System.nanoTime();
        Seq2Seq without = model(false);
        train(without);
        double none = heldOut(without)[0];
        String report = String.format("after %d steps: Luong attention exact %.3f (mean weight on source position"
                        + " len-1-t %.3f; %.1f s), no attention exact %.3f (%.1f s)", STEPS, att[0], att[1],
                (mid - start) / 1e9, none, (System.nanoTime() - mid) / 1e9);
        System.out.println(report);
        assertTrue(att[0] >= 0.95, report);
        assertTrue(att[1] > 0.5, report);
        assertTrue(none <= 0.5 && att[0] - none >= 0.5, report);
    }
}
