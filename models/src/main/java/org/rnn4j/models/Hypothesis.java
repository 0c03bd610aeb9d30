package org.rnn4j.models;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded sequence: what {@link Seq2Seq#greedy} and {@link Seq2Seq#beamSearch} return per
 * source sequence.
 *
 * @param tokens    the tokens generated, without the begin-of-sequence token; ends with the
 *                  end-of-sequence token when decoding stopped there, else it ran to the maximum length
 * @param logProb   the model's log-probability of {@code tokens}: the sum of each token's log-softmax
 * @param score     what the search ranked by: {@code logProb / tokens.length^alpha} for beam search
 *                  with length normalization {@code alpha}; {@code logProb} otherwise
 * @param attention the attention weights of every decoding step, {@code [tokens.length][S]}, exactly
 *                  0 at source padding; null for a model without attention
 */
public record Hypothesis(int[] tokens, double logProb, double score, float[][] attention) {

    /** Equal tokens, scores and attention weights, compared by content (a record compares arrays by reference). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis other && Arrays.equals(tokens, other.tokens)
                && Double.compare(logProb, other.logProb) == 0 && Double.compare(score, other.score) == 0
                && Arrays.deepEquals(attention, other.attention);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokens), logProb, score, Arrays.deepHashCode(attention));
    }

    @Override
    public String toString() {
        return "Hypothesis[" + Arrays.toString(tokens) + ", logProb " + logProb + ", score " + score + "]";
    }
}
