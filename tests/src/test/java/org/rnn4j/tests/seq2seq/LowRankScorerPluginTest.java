package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Parameter;
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
 * found by name and trained inside an encoder-decoder. Its gradients are checked against finite
 * differences alone with the built-in scorers in {@code AttentionTest}, and inside the model (Luong
 * and Bahdanau) in {@link Seq2SeqGradientTest}.
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
            Seq2SeqBatch batch = Seq2SeqFixtures.reversal(Seq2SeqFixtures.rows(rng, 16, 4, 6, 10));
            model.parameters().forEach(Parameter::zeroGrad);
            last = model.train(batch, WHOLE, context);
            if (step == 0) {
                first = last.loss();
            }
            adam.step(model.parameters(), 0.02);
        }
        double accuracy = last.correct() / (double) last.count();
        assertTrue(last.loss() < first / 5 && accuracy > 0.9, "loss went from " + first + " to " + last.loss()
                + ", token accuracy " + accuracy);
    }
}
