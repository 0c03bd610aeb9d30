package org.rnn4j.spi.attention;

import java.util.List;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

/**
 * Scores how well a query matches each key: {@code score[b, s] = f(query[b], keys[b, s])}. The
 * attention step around it (masked softmax, weighted sum) is the framework's; a scorer only
 * computes raw scores and their gradients. Forward calls only read the parameters and may run
 * concurrently; backward accumulates into parameter gradients and must be confined to one thread.
 */
public interface AttentionScorer {

    /** The trainable parameters, named as in the golden files ({@code W}; {@code W1}, {@code W2}, {@code v}). */
    List<Parameter> parameters();

    /**
     * Computes raw scores at every position, padding included.
     *
     * @param query    {@code [B, Hq]}
     * @param keys     {@code [B, S, Hk]}
     * @param scores   receives {@code [B, S]}
     * @param training whether a backward pass will follow
     * @return the backward pass when {@code training}, else null
     * @throws IllegalArgumentException when a shape does not fit, naming it
     */
    Backward score(Tensor query, Tensor keys, Tensor scores, boolean training);

    /** The backward pass of one {@link #score} call. */
    @FunctionalInterface
    interface Backward {
        /**
         * Carries the scores' gradient back to the query and the keys (and the scorer's parameters).
         *
         * @param dScores gradient for the scores {@code [B, S]}
         * @param dQuery  receives (adds to) the gradient for the query; null to skip
         * @param dKeys   receives (adds to) the gradient for the keys; null to skip
         * @throws IllegalArgumentException when a shape does not fit, naming it
         */
        void run(Tensor dScores, Tensor dQuery, Tensor dKeys);
    }
}
