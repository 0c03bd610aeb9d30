package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.Trainable;

/**
 * The third-party {@code low-rank} scorer of examples/custom-cell, which this module never imports:
 * found by name, checked against finite differences, and trained inside an encoder-decoder. (Its
 * gradients inside the model are checked with the other scorers in {@link Seq2SeqGradientTest}.)
 */
class LowRankScorerPluginTest {

    @Test
    void isDiscoveredByNameAndChecksItsOptions() {
        assertTrue(Registries.scorers().names().contains("low-rank"), "registered scorers: " + Registries.scorers().names());
        assertTrue(Registries.scorers().description("low-rank").contains("q^T U V^T k"));
        Attention att = Attention.create("low-rank", 6, 4, 0, Options.of("rank", "3"), 1);
        assertEquals(List.of("U:[6, 3]", "V:[4, 3]"),
                att.parameters().stream().map(p -> p.name() + ":" + java.util.Arrays.toString(p.shape())).toList());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Attention.create("low-rank", 6, 4, 0, Options.of("rank", "0"), 1));
        assertTrue(rank.getMessage().contains("rank"), rank.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Attention.create("low-rank", 6, 4, 0, Options.of("size", "3"), 1));
        assertTrue(unknown.getMessage().contains("size"), unknown.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Attention att = Attention.create("low-rank", 3, 4, 0, Options.of("rank", "2"), 2);
        SplittableRandom rng = new SplittableRandom(8);
        Tensor q = random(rng, 2, 3);
        Tensor keys = random(rng, 2, 5, 4);
        int[] lengths = {5, 2};
        Tensor probeContext = random(rng, 2, 4);
        Tensor probeWeights = random(rng, 2, 5);
        att.parameters().forEach(Parameter::zeroGrad);
        Attention.Gradients g = att.forward(q, keys, lengths, true).backward(probeContext, probeWeights);
        // loss = <context, probeContext> + <weights, probeWeights>
        DoubleSupplier loss = () -> {
            Attention.Step s = att.forward(q, keys, lengths, false);
            return dot(s.context(), probeContext) + dot(s.weights(), probeWeights);
        };
        check("query", q, g.query(), loss);
        check("keys", keys, g.keys(), loss);
        for (Parameter p : att.parameters()) {
            check(p.name(), p.value(), p.grad().copy(), loss);
        }
    }

    /** A reversal task of length 4 to 6: the model with the plugin scorer, built by name, learns it. */
    @Test
    void trainsInsideAnEncoderDecoderByName() {
        Recurrent encoder = Recurrent.builder("gru").inputSize(8).hiddenSize(16).bidirectional(true).seed(1).build();
        Seq2Seq model = Seq2Seq.builder().vocabulary(10).encoder(encoder).decoder("gru", 24)
                .attention(AttentionStyle.LUONG, "low-rank").scorerOptions(Options.of("rank", "4")).seed(2).build();
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        Trainable.Context context = Seq2SeqFixtures.context("teacher-forcing");
        SplittableRandom rng = new SplittableRandom(3);
        double first = Double.NaN;
        Trainable.Result last = null;
        for (int step = 0; step < 150; step++) {
            int[][] sources = Seq2SeqFixtures.rows(rng, 16, 4, 6, 10);
            int[][] targets = new int[sources.length][];
            for (int r = 0; r < sources.length; r++) {
                int len = sources[r].length;
                targets[r] = new int[len + 1];
                for (int t = 0; t < len; t++) {
                    targets[r][t] = sources[r][len - 1 - t];
                }
                targets[r][len] = Seq2SeqFixtures.EOS;
            }
            model.parameters().forEach(Parameter::zeroGrad);
            last = model.train(Seq2SeqBatch.of(sources, targets, Seq2SeqFixtures.PAD), WHOLE, context);
            if (step == 0) {
                first = last.loss();
            }
            adam.step(model.parameters(), 0.02);
        }
        double accuracy = last.correct() / (double) last.count();
        assertTrue(last.loss() < first / 5 && accuracy > 0.9, "loss went from " + first + " to " + last.loss()
                + ", token accuracy " + accuracy);
    }

    private static void check(String what, Tensor target, Tensor analytic, DoubleSupplier loss) {
        float[] w = target.data();
        for (int j = 0; j < w.length; j++) {
            double numeric = FiniteDifferences.derivative(w, j, loss);
            assertEquals(numeric, analytic.data()[j], 2e-5 + 1e-3 * Math.abs(numeric), what + "[" + j + "]");
        }
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
