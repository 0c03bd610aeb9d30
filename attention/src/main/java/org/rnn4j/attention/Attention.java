package org.rnn4j.attention;

import java.util.List;
import java.util.Objects;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.attention.AttentionScorer;
import org.rnn4j.spi.attention.ScorerSpec;

/**
 * One attention step: a query {@code [B, Hq]} attends over keys {@code [B, S, Hk]} (also the
 * values) with any registered scorer. Weights are the softmax of the scores over each sequence's
 * real positions (padding gets exactly 0; a sequence with one position gets weight 1 there); the
 * context is the weighted sum of the keys. Scores and weights are returned to the caller, for
 * inspection and heatmaps. Inference is thread-safe; backward passes accumulate into the scorer's
 * parameters.
 */
public final class Attention {

    private final String scorerName;
    private final AttentionScorer scorer;
    private final int querySize;
    private final int keySize;
    private final Kernels k = Kernels.get();

    private Attention(String scorerName, AttentionScorer scorer, int querySize, int keySize) {
        this.scorerName = scorerName;
        this.scorer = scorer;
        this.querySize = querySize;
        this.keySize = keySize;
    }

    /**
     * Attention with the scorer registered as {@code scorer} ({@code dot}, {@code scaled-dot},
     * {@code general}, {@code additive}, or a plugin's name).
     *
     * @param attentionSize the scorer's hidden size where it has one (additive), else 0
     * @throws IllegalArgumentException when the name is unknown or the sizes do not suit the scorer
     */
    public static Attention create(String scorer, int querySize, int keySize, int attentionSize, Options options,
                                   long seed) {
        ScorerSpec spec = new ScorerSpec(querySize, keySize, attentionSize, options, seed);
        return new Attention(scorer, Registries.scorers().get(scorer).create(spec), querySize, keySize);
    }

    /** The scorer's parameters (named as PyTorch-made golden files name them). */
    public List<Parameter> parameters() {
        return scorer.parameters();
    }

    /** The registry name of the scorer. */
    public String scorerName() {
        return scorerName;
    }

    /**
     * Gradients for a step's inputs.
     *
     * @param query gradient for the query, {@code [B, Hq]}
     * @param keys  gradient for the keys (which are also the values), {@code [B, S, Hk]}
     */
    public record Gradients(Tensor query, Tensor keys) {
    }

    /** The outcome of one step, with its backward pass when it ran for training. */
    public final class Step {
        private final Tensor keys;
        private final int[] lengths;
        private final Tensor scores;
        private final Tensor weights;
        private final Tensor context;
        private final AttentionScorer.Backward scoreBackward;
        private boolean backwardDone;

        private Step(Tensor keys, int[] lengths, Tensor scores, Tensor weights, Tensor context,
                     AttentionScorer.Backward scoreBackward) {
            this.keys = keys;
            this.lengths = lengths;
            this.scores = scores;
            this.weights = weights;
            this.context = context;
            this.scoreBackward = scoreBackward;
        }

        /** Raw scores at every position, padding included, {@code [B, S]}; read-only (the backward pass reads it). */
        public Tensor scores() {
            return scores;
        }

        /**
         * Attention weights {@code [B, S]}: each row sums to 1 over its real positions, 0 at padding.
         * Read-only until {@link #backward} has run, which reads them: copy before rescaling for a plot.
         */
        public Tensor weights() {
            return weights;
        }

        /** The weighted sum of the keys, {@code [B, Hk]}. */
        public Tensor context() {
            return context;
        }

        /**
         * Back-propagates; the scorer's parameter gradients accumulate.
         *
         * @param dContext gradient for {@link #context()}, or null
         * @param dWeights gradient for {@link #weights()}, or null
         * @throws IllegalStateException when the step ran for inference, or backward already ran (a second
         *                               run would add the scorer's parameter gradients twice)
         */
        public Gradients backward(Tensor dContext, Tensor dWeights) {
            if (scoreBackward == null) {
                throw new IllegalStateException("Attention.backward: the step ran for inference; pass training = true");
            }
            if (backwardDone) {
                throw new IllegalStateException("Attention.backward: already ran for this step");
            }
            int b = keys.dim(0);
            int s = keys.dim(1);
            if (dContext != null) {
                Shapes.require("Attention.backward", "dContext", dContext, b, keySize);
            }
            if (dWeights != null) {
                Shapes.require("Attention.backward", "dWeights", dWeights, b, s);
            }
            backwardDone = true;
            Tensor dQuery = Tensor.zeros(b, querySize);
            Tensor dKeys = Tensor.zeros(b, s, keySize);
            Tensor dScores = Tensor.zeros(b, s);
            float[] w = weights.data();
            for (int r = 0; r < b; r++) {
                int len = lengths == null ? s : lengths[r];
                double mean = 0;
                float[] dw = new float[len];
                for (int j = 0; j < len; j++) {
                    float g = dWeights == null ? 0f : dWeights.data()[r * s + j];
                    if (dContext != null) {
                        g += k.dot(keySize, dContext.data(), r * keySize, keys.data(), (r * s + j) * keySize);
                        k.axpy(keySize, w[r * s + j], dContext.data(), r * keySize, dKeys.data(), (r * s + j) * keySize);
                    }
                    dw[j] = g;
                    mean += (double) w[r * s + j] * g;
                }
                for (int j = 0; j < len; j++) {
                    dScores.data()[r * s + j] = (float) (w[r * s + j] * (dw[j] - mean));
                }
            }
            scoreBackward.run(dScores, dQuery, dKeys);
            return new Gradients(dQuery, dKeys);
        }
    }

    /**
     * Runs one step.
     *
     * @param query    {@code [B, Hq]}
     * @param keys     {@code [B, S, Hk]}, also the values
     * @param lengths  real positions of each row, each in {@code [1, S]}; null when all are {@code S}
     * @param training whether {@link Step#backward} will be called
     * @throws IllegalArgumentException when a shape or length does not fit, naming it
     * @throws org.rnn4j.core.NonFiniteValueException when the query or the keys hold a NaN or an
     *                                                 infinity, or the scorer's scores do (overflow)
     */
    public Step forward(Tensor query, Tensor keys, int[] lengths, boolean training) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(keys, "keys");
        Shapes.requireRank("Attention.forward", "keys", keys, 3);
        int b = keys.dim(0);
        int s = keys.dim(1);
        Shapes.require("Attention.forward", "keys", keys, b, s, keySize);
        Shapes.require("Attention.forward", "query", query, b, querySize);
        if (s < 1) {
            throw new IllegalArgumentException("Attention.forward: keys must hold at least one position, given "
                    + "shape " + java.util.Arrays.toString(keys.shape()));
        }
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException("Attention.forward: lengths has " + lengths.length
                        + " entries, the batch has " + b);
            }
            for (int r = 0; r < b; r++) {
                if (lengths[r] < 1 || lengths[r] > s) {
                    throw new IllegalArgumentException("Attention.forward: lengths[" + r + "] must be in [1, " + s
                            + "], given " + lengths[r] + " (a row needs at least one position to attend to)");
                }
            }
        }
        Finite.require("Attention.forward", "query", query);
        Finite.require("Attention.forward", "keys", keys);
        Tensor scores = Tensor.zeros(b, s);
        AttentionScorer.Backward back = scorer.score(query, keys, scores, training);
        if (training && back == null) {
            throw new IllegalStateException("scorer '" + scorerName + "' returned no backward pass for a training step");
        }
        // Finite inputs can still overflow a score (a dot product past the float range), and a
        // plugin's can be NaN; the softmax would turn either into NaN weights, named nowhere.
        Finite.require("Attention.forward: scorer '" + scorerName + "'", "scores", scores);
        Tensor weights = Tensor.zeros(b, s);
        Tensor context = Tensor.zeros(b, keySize);
        for (int r = 0; r < b; r++) {
            int len = lengths == null ? s : lengths[r];
            k.softmax(1, len, scores.data(), r * s, weights.data(), r * s);
            k.gemv(true, len, keySize, 1f, keys.data(), r * s * keySize, keySize, weights.data(), r * s, 0f,
                    context.data(), r * keySize);
        }
        return new Step(keys, lengths == null ? null : lengths.clone(), scores, weights, context,
                training ? back : null);
    }

    @Override
    public String toString() {
        return "Attention[" + scorerName + ", query " + querySize + ", keys " + keySize + "]";
    }
}
