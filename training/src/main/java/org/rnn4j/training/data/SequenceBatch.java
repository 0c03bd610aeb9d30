package org.rnn4j.training.data;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.core.Tensor;

/**
 * One mini-batch of sequences, batch first and padded at the end: the inputs as real-valued
 * features or as token ids (exactly one of the two), the real length of each sequence, and the
 * targets as real values or as class labels (at most one of the two; none for inference).
 *
 * <p>Targets follow the model's output: one per sequence ({@code targets [B, O]},
 * {@code labels [B][1]}) for sequence-to-value models, one per step ({@code targets [B, T, O]},
 * {@code labels [B][T]}) for tagging and language models. Steps at or beyond a sequence's length
 * are padding and never count. The batch holds the arrays it is given, not copies (batches are
 * large and made once); change them only while no model is reading the batch.
 *
 * @param features {@code [B, T, F]} input features, or null when the inputs are tokens
 * @param tokens   {@code [B][T]} input token ids, or null when the inputs are features
 * @param lengths  real length of each sequence, in {@code [0, T]}; null means all {@code T}
 * @param targets  real-valued targets, or null
 * @param labels   class-label targets, or null
 */
public record SequenceBatch(Tensor features, int[][] tokens, int[] lengths, Tensor targets, int[][] labels) {

    /** Validates that the parts agree on the batch size and the sequence length. */
    public SequenceBatch {
        if ((features == null) == (tokens == null)) {
            throw new IllegalArgumentException("SequenceBatch: give exactly one of features and tokens, given "
                    + (features == null ? "neither" : "both"));
        }
        if (targets != null && labels != null) {
            throw new IllegalArgumentException("SequenceBatch: give at most one of targets and labels, given both");
        }
        if (features != null && features.rank() != 3) {
            throw new IllegalArgumentException("SequenceBatch: features must be [B, T, F], given " + Arrays.toString(features.shape()));
        }
        if (tokens != null) {
            requireRows("token", tokens);
        }
        if (labels != null) {
            requireRows("label", labels);
        }
        int b = features != null ? features.dim(0) : tokens.length;
        int t = features != null ? features.dim(1) : (tokens.length == 0 ? 0 : tokens[0].length);
        if (b < 1 || t < 1) {
            throw new IllegalArgumentException("SequenceBatch: needs at least one sequence of at least one step, given B = "
                    + b + ", T = " + t);
        }
        if (tokens != null) {
            for (int r = 0; r < b; r++) {
                if (tokens[r].length != t) {
                    throw new IllegalArgumentException("SequenceBatch: token row " + r + " has " + tokens[r].length
                            + " steps, row 0 has " + t + " (pad rows to one length)");
                }
            }
        }
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException("SequenceBatch: lengths has " + lengths.length + " entries, the batch has " + b);
            }
            for (int r = 0; r < b; r++) {
                if (lengths[r] < 0 || lengths[r] > t) {
                    throw new IllegalArgumentException("SequenceBatch: length of row " + r + " is " + lengths[r]
                            + ", expected 0.." + t);
                }
            }
        }
        if (targets != null && targets.dim(0) != b) {
            throw new IllegalArgumentException("SequenceBatch: targets " + Arrays.toString(targets.shape())
                    + " do not have the batch size " + b);
        }
        if (labels != null && labels.length != b) {
            throw new IllegalArgumentException("SequenceBatch: labels have " + labels.length + " rows, the batch has " + b);
        }
    }

    private static void requireRows(String what, int[][] rows) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new IllegalArgumentException("SequenceBatch: " + what + " row " + r + " is null");
            }
        }
    }

    /** Number of sequences. */
    public int batchSize() {
        return features != null ? features.dim(0) : tokens.length;
    }

    /** Padded sequence length {@code T}. */
    public int steps() {
        return features != null ? features.dim(1) : tokens[0].length;
    }

    /**
     * Real length of sequence {@code row}.
     *
     * @throws IndexOutOfBoundsException when {@code row} is not in {@code [0, B)}
     */
    public int length(int row) {
        Objects.checkIndex(row, batchSize());
        return lengths == null ? steps() : lengths[row];
    }
}
