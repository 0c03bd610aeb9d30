package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Bridge;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.training.Trainable;

/**
 * Finite-difference checks of every parameter gradient of the encoder-decoder, on B = 2, S = 4,
 * T = 3, H = 5, vocabulary 7, with padded sources and targets: every scorer in both attention
 * styles, no attention, a bidirectional encoder through the learned bridge, stacked layers, a
 * plugin decoder cell, the plugin low-rank scorer, free-running inputs and label smoothing.
 */
class Seq2SeqGradientTest {

    private static final int VOCAB = 7;
    private static final int E = 4;
    private static final int H = 5;

    /** One configuration: how to build the model and which decoder input policy trains it. */
    record Case(String name, java.util.function.Supplier<Seq2Seq> model, String policy) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Recurrent encoder(String cell, int hidden, int layers, boolean bidirectional) {
        return Recurrent.builder(cell).inputSize(E).hiddenSize(hidden).layers(layers).bidirectional(bidirectional)
                .seed(5).build();
    }

    private static Seq2Seq.Builder base() {
        return Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder("lstm", H, 1, false)).decoder("lstm", H)
                .targetEmbeddingSize(3).seed(9);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("none", () -> base().build(), "teacher-forcing"));
        for (String scorer : List.of("dot", "scaled-dot", "general", "additive")) {
            for (AttentionStyle style : List.of(AttentionStyle.LUONG, AttentionStyle.BAHDANAU)) {
                cases.add(new Case(style + " " + scorer, () -> base().attention(style, scorer).attentionSize(4).build(),
                        "teacher-forcing"));
            }
        }
        cases.add(new Case("bidirectional encoder, projected bridge, LUONG general", () -> base()
                .encoder(encoder("lstm", 3, 1, true)).attention(AttentionStyle.LUONG, "general").build(),
                "teacher-forcing"));
        cases.add(new Case("bidirectional GRU encoder into an LSTM decoder, BAHDANAU additive", () -> base()
                .encoder(encoder("gru", 3, 1, true)).attention(AttentionStyle.BAHDANAU, "additive").build(),
                "teacher-forcing"));
        cases.add(new Case("LUONG without input feeding", () -> base().attention(AttentionStyle.LUONG, "dot")
                .inputFeeding(false).build(), "teacher-forcing"));
        cases.add(new Case("stacked: 2-layer encoder, 2-layer GRU decoder, projected bridge, BAHDANAU general", () -> base()
                .encoder(encoder("lstm", 4, 2, false)).decoder("gru", H).decoderLayers(2).bridge(Bridge.PROJECT)
                .attention(AttentionStyle.BAHDANAU, "general").build(), "teacher-forcing"));
        cases.add(new Case("plugin decoder cell mgu (autograd kernel), LUONG general", () -> base().decoder("mgu", H)
                .attention(AttentionStyle.LUONG, "general").build(), "teacher-forcing"));
        cases.add(new Case("free-running, LUONG general, shared embeddings", () -> base().targetEmbeddingSize(E)
                .shareEmbeddings(true).attention(AttentionStyle.LUONG, "general").build(), "free-running"));
        for (AttentionStyle style : List.of(AttentionStyle.LUONG, AttentionStyle.BAHDANAU)) {
            cases.add(new Case(style + " low-rank (third-party scorer, rank 2)", () -> base().attention(style, "low-rank")
                    .scorerOptions(org.rnn4j.spi.Options.of("rank", "2")).build(), "teacher-forcing"));
        }
        cases.add(new Case("label smoothing 0.1, zero bridge, BAHDANAU dot", () -> base().labelSmoothing(0.1)
                .bridge(Bridge.ZEROS).attention(AttentionStyle.BAHDANAU, "dot").build(), "teacher-forcing"));
        return cases.stream().map(Arguments::of);
    }

    /** B = 2, S = 4 (lengths 4, 2), T = 3 (lengths 3, 2). */
    static Seq2SeqBatch batch() {
        return new Seq2SeqBatch(new int[][] {{4, 6, 5, 1}, {5, 4, 0, 0}}, new int[] {4, 2},
                new int[][] {{6, 4, 3}, {5, 3, 0}}, new int[] {3, 2});
    }

    /**
     * Parameters are redrawn from U(-1, 1) (embeddings kept) so that attention is sharp and every
     * path, the attention query's included, carries a gradient well above float32 noise (about
     * 1e-5 with the five-point stencil).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyParameterGradientMatchesFiniteDifferences(Case c) {
        Seq2Seq model = c.model().get();
        SplittableRandom init = new SplittableRandom(3);
        for (Parameter p : model.parameters()) {
            if (!p.name().contains("embedding")) {
                float[] v = p.value().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) init.nextDouble(-1, 1);
                }
            }
        }
        Seq2SeqBatch batch = batch();
        Trainable.Context context = Seq2SeqFixtures.context(c.policy());
        model.parameters().forEach(Parameter::zeroGrad);
        Trainable.Result result = model.train(batch, WHOLE, context);
        assertEquals(5, result.count(), "real target tokens");
        List<Tensor> analytic = model.parameters().stream().map(p -> p.grad().copy()).toList();
        java.util.function.DoubleSupplier loss = () -> model.train(batch, WHOLE, context).loss();
        SplittableRandom pick = new SplittableRandom(1);
        for (int i = 0; i < analytic.size(); i++) {
            Parameter p = model.parameters().get(i);
            float[] w = p.value().data();
            float[] g = analytic.get(i).data();
            double norm = 0;
            for (float x : g) {
                norm += x * x;
            }
            assertTrue(norm > 0, c + ": no gradient reached " + p.name());
            // Every coordinate of small tensors, a seeded sample of 48 of larger ones.
            int checks = Math.min(w.length, SAMPLES);
            for (int n = 0; n < checks; n++) {
                int j = w.length <= SAMPLES ? n : pick.nextInt(w.length);
                double numeric = FiniteDifferences.derivative(w, j, loss);
                assertEquals(numeric, g[j], 1.5e-5 + 5e-4 * Math.abs(numeric),
                        c + ": " + p.name() + "[" + j + "] analytic " + g[j] + ", numeric " + numeric);
            }
        }
    }

    private static final int SAMPLES = 48;
}
