package org.rnn4j.models;

import org.rnn4j.attention.Attention;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.cell.SequenceKernel;

/**
 * The decoder of a {@link Seq2Seq} model, advanced one step at a time so that each step's input
 * can depend on the previous step's prediction. Each layer's cell runs as a one-step sequence
 * through its own {@link SequenceKernel} (hand-fused for the built-in cells, derived from the
 * tape for plugins), and every step keeps its own backward pass; the model back-propagates
 * through the unrolled steps in reverse.
 */
final class Decoder {

    private final AttentionStyle style;
    private final boolean inputFeeding;
    private final Embedding embedding;
    private final Recurrent layers;
    private final SequenceKernel[] kernels;
    private final Attention attention;
    private final Dense combine;
    private final Dense output;
    private final int hidden;
    private final int keySize;
    private final int states;
    private final Kernels k = Kernels.get();

    /**
     * @param layers    a unidirectional layer whose cells the decoder steps
     * @param attention null for {@link AttentionStyle#NONE}
     * @param keySize   features of each encoder output
     * @param combine   Luong's {@code W_c [c; h] -> H}; null for other styles
     */
    Decoder(AttentionStyle style, boolean inputFeeding, Embedding embedding, Recurrent layers, Attention attention,
            int keySize, Dense combine, Dense output) {
        this.style = style;
        this.inputFeeding = inputFeeding && style == AttentionStyle.LUONG;
        this.embedding = embedding;
        this.layers = layers;
        this.attention = attention;
        this.combine = combine;
        this.output = output;
        this.hidden = layers.hiddenSize();
        this.keySize = keySize;
        this.states = layers.stateNames().size();
        this.kernels = new SequenceKernel[layers.layers()];
        for (int l = 0; l < kernels.length; l++) {
            kernels[l] = layers.cell(l, 0).sequenceKernel();
        }
    }

    /** Gradients for a step's inputs. */
    record Gradients(Tensor[][] state, Tensor feed) {
    }

    /** One decoder step on {@code n} rows, with its backward pass when it ran for training. */
    final class Step {
        private final Embedding.Output embedded;
        private final SequenceKernel.Backward[] backwards;
        private final Tensor[][] state;
        private final Attention.Step attended;
        private final Dense.Output combined;
        private final Tensor attentional;
        private final Dense.Output logits;

        private Step(Embedding.Output embedded, SequenceKernel.Backward[] backwards, Tensor[][] state,
                     Attention.Step attended, Dense.Output combined, Tensor attentional, Dense.Output logits) {
            this.embedded = embedded;
            this.backwards = backwards;
            this.state = state;
            this.attended = attended;
            this.combined = combined;
            this.attentional = attentional;
            this.logits = logits;
        }

        /** Output scores over the target vocabulary, {@code [n, V]}. */
        Tensor logits() {
            return logits.value();
        }

        /** The state after this step, {@code [L][states]}, each {@code [n, H]}. */
        Tensor[][] state() {
            return state;
        }

        /** Luong's attentional state {@code h~_t}, fed to the next step; null when not fed. */
        Tensor feed() {
            return inputFeeding ? attentional : null;
        }

        /** Attention weights {@code [n, S]}; null without attention. */
        Tensor weights() {
            return attended == null ? null : attended.weights();
        }

        /**
         * Back-propagates one step, accumulating every parameter gradient.
         *
         * @param dLogits gradient for {@link #logits()}
         * @param dFeed   gradient for {@link #feed()} from the next step, or null
         * @param dState  gradient for {@link #state()} from the next step, or null
         * @param dKeys   receives (adds to) the gradient for the encoder outputs {@code [n, S, Hk]}
         * @return the gradients for the previous state and the previous step's feed
         */
        Gradients backward(Tensor dLogits, Tensor dFeed, Tensor[][] dState, Tensor dKeys) {
            int n = dLogits.dim(0);
            int top = kernels.length - 1;
            Tensor[][] d = new Tensor[kernels.length][states];
            for (int l = 0; l < kernels.length; l++) {
                for (int s = 0; s < states; s++) {
                    d[l][s] = dState == null ? Tensor.zeros(n, hidden) : dState[l][s].copy();
                }
            }
            Tensor dOut = logits.backward(dLogits);
            if (style == AttentionStyle.LUONG) {
                if (dFeed != null) {
                    Rows.addInto(dOut, dFeed);
                }
                Tensor dPre = Tensor.zeros(n, hidden);
                k.tanhBackward(dPre.size(), attentional.data(), 0, dOut.data(), 0, dPre.data(), 0);
                Tensor[] dContextHidden = Rows.split(combined.backward(dPre), keySize);
                Attention.Gradients g = attended.backward(dContextHidden[0], null);
                Rows.addInto(dKeys, g.keys());
                Rows.addInto(d[top][0], dContextHidden[1]);
                Rows.addInto(d[top][0], g.query());
            } else {
                Rows.addInto(d[top][0], dOut);
            }
            Tensor[][] dPrevious = new Tensor[kernels.length][states];
            Tensor dInput = null;
            for (int l = top; l >= 0; l--) {
                int in = layers.cell(l, 0).inputSize();
                Tensor dIn = Tensor.zeros(n, 1, in);
                for (int s = 0; s < states; s++) {
                    dPrevious[l][s] = Tensor.zeros(n, hidden);
                }
                backwards[l].run(null, d[l], dIn, dPrevious[l]);
                if (l > 0) {
                    Rows.addInto(d[l - 1][0], dIn);
                } else {
                    dInput = dIn.reshape(n, in);
                }
            }
            Tensor dFeedPrevious = null;
            Tensor dEmbedded = dInput;
            if (style == AttentionStyle.BAHDANAU || inputFeeding) {
                Tensor[] parts = Rows.split(dInput, embedding.dim());
                dEmbedded = parts[0];
                if (style == AttentionStyle.BAHDANAU) {
                    Attention.Gradients g = attended.backward(parts[1], null);
                    Rows.addInto(dKeys, g.keys());
                    Rows.addInto(dPrevious[top][0], g.query());
                } else {
                    dFeedPrevious = parts[1];
                }
            }
            embedded.backward(dEmbedded.reshape(n, 1, embedding.dim()));
            return new Gradients(dPrevious, dFeedPrevious);
        }
    }

    /**
     * Runs one step.
     *
     * @param tokens   this step's input token per row, {@code [n]}
     * @param state    the previous state {@code [L][states]}, each {@code [n, H]}
     * @param feed     the previous step's {@link Step#feed()} ({@code [n, H]}), or null for zeros
     * @param keys     the encoder outputs {@code [n, S, Hk]}
     * @param lengths  real source positions per row
     * @param training whether {@link Step#backward} will be called
     */
    Step step(int[] tokens, Tensor[][] state, Tensor feed, Tensor keys, int[] lengths, boolean training) {
        int n = tokens.length;
        int[][] ids = new int[n][1];
        for (int r = 0; r < n; r++) {
            ids[r][0] = tokens[r];
        }
        Embedding.Output embedded = embedding.forward(ids);
        Tensor x = embedded.value().reshape(n, embedding.dim());
        Attention.Step attended = null;
        int top = kernels.length - 1;
        if (style == AttentionStyle.BAHDANAU) {
            attended = attention.forward(state[top][0], keys, lengths, training);
            x = Rows.concat(x, attended.context());
        } else if (inputFeeding) {
            x = Rows.concat(x, feed == null ? Tensor.zeros(n, hidden) : feed);
        }
        SequenceKernel.Backward[] backwards = new SequenceKernel.Backward[kernels.length];
        Tensor[][] next = new Tensor[kernels.length][states];
        for (int l = 0; l < kernels.length; l++) {
            Tensor in = l == 0 ? x : next[l - 1][0];
            for (int s = 0; s < states; s++) {
                next[l][s] = Tensor.zeros(n, hidden);
            }
            backwards[l] = kernels[l].forward(in.reshape(n, 1, in.dim(1)), null, false, state[l],
                    Tensor.zeros(n, 1, hidden), next[l], training);
        }
        Tensor h = next[top][0];
        Dense.Output combined = null;
        Tensor attentional = h;
        if (style == AttentionStyle.LUONG) {
            attended = attention.forward(h, keys, lengths, training);
            combined = combine.forward(Rows.concat(attended.context(), h));
            attentional = combined.value().copy();
            k.tanh(attentional.size(), attentional.data(), 0, attentional.data(), 0);
        }
        return new Step(embedded, backwards, next, attended, combined, attentional, output.forward(attentional));
    }
}
