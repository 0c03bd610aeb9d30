package org.rnn4j.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnn4j.core.Tensor;

/**
 * Collates variable-length sequences into padded {@link SequenceBatch}es: shorter sequences are
 * padded at the end to the longest one, {@code lengths} holds the real lengths, padded inputs hold
 * the pad id (tokens) or 0 (features), and padded label positions hold {@link #IGNORE_LABEL}, which
 * the masked losses skip.
 */
public final class Batches {

    /** The label of a padded position, skipped by {@code Losses.crossEntropy(..., IGNORE_LABEL, ...)}. */
    public static final int IGNORE_LABEL = -1;

    private Batches() {
    }

    /**
     * The items at {@code indexes}, in that order: turns one batch of a {@link BatchSampler} into the
     * list the collating methods take.
     *
     * @throws IllegalArgumentException when an index is outside {@code items}
     */
    public static <T> List<T> select(List<T> items, int[] indexes) {
        List<T> out = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            if (i < 0 || i >= items.size()) {
                throw new IllegalArgumentException("Batches.select: index " + i + " is outside [0, " + items.size() + ")");
            }
            out.add(items.get(i));
        }
        return out;
    }

    /**
     * Token sequences as a batch for inference: tokens {@code [B][T]} padded with {@code padId},
     * lengths, no targets.
     *
     * @throws IllegalArgumentException when there is no sequence, a sequence is empty, or an id is negative
     */
    public static SequenceBatch tokens(List<int[]> sequences, int padId) {
        int[] lengths = lengths("Batches.tokens", sequences, 1, padId);
        return new SequenceBatch(null, pad(sequences, 0, lengths, padId), lengths, null, null);
    }

    /**
     * Next-token prediction: a sequence of {@code n} tokens gives the input {@code tokens[0 .. n-2]}
     * and the labels {@code tokens[1 .. n-1]}, so its length is {@code n - 1}; labels beyond a
     * sequence's length are {@link #IGNORE_LABEL}. Encode with BOS and EOS so the model learns to
     * start and to stop.
     *
     * @throws IllegalArgumentException when there is no sequence, a sequence has fewer than 2 tokens,
     *                                  or an id is negative
     */
    public static SequenceBatch languageModel(List<int[]> sequences, int padId) {
        int[] lengths = lengths("Batches.languageModel", sequences, 2, padId);
        for (int b = 0; b < lengths.length; b++) {
            lengths[b]--;
        }
        return new SequenceBatch(null, pad(sequences, 0, lengths, padId), lengths, null,
                pad(sequences, 1, lengths, IGNORE_LABEL));
    }

    /**
     * Sequence classification: padded tokens and one class per sequence, {@code labels[B][1]}.
     *
     * @throws IllegalArgumentException as {@link #tokens}, or when the label count differs from the
     *                                  sequence count or a label is negative
     */
    public static SequenceBatch classification(List<int[]> sequences, int[] labels, int padId) {
        int[] lengths = lengths("Batches.classification", sequences, 1, padId);
        Objects.requireNonNull(labels, "Batches.classification: labels");
        if (labels.length != sequences.size()) {
            throw new IllegalArgumentException("Batches.classification: expected one label per sequence, given "
                    + labels.length + " labels for " + sequences.size() + " sequences");
        }
        int[][] rows = new int[labels.length][];
        for (int b = 0; b < labels.length; b++) {
            if (labels[b] < 0) {
                throw new IllegalArgumentException("Batches.classification: the label of sequence " + b + " is "
                        + labels[b] + ", expected a class >= 0");
            }
            rows[b] = new int[] {labels[b]};
        }
        return new SequenceBatch(null, pad(sequences, 0, lengths, padId), lengths, null, rows);
    }

    /**
     * Tagging: padded tokens and one class per token, {@code labels[B][T]}, padded with
     * {@link #IGNORE_LABEL}.
     *
     * @throws IllegalArgumentException as {@link #tokens}, or when a tag sequence's length differs
     *                                  from its token sequence's or a tag is negative
     */
    public static SequenceBatch tagging(List<int[]> sequences, List<int[]> tags, int padId) {
        int[] lengths = lengths("Batches.tagging", sequences, 1, padId);
        if (tags.size() != sequences.size()) {
            throw new IllegalArgumentException("Batches.tagging: expected one tag sequence per token sequence, given "
                    + tags.size() + " for " + sequences.size());
        }
        for (int b = 0; b < lengths.length; b++) {
            int[] row = tags.get(b);
            if (row == null) {
                throw new IllegalArgumentException("Batches.tagging: the tags of sequence " + b + " are null");
            }
            if (row.length != lengths[b]) {
                throw new IllegalArgumentException("Batches.tagging: sequence " + b + " has " + lengths[b]
                        + " tokens and " + row.length + " tags, expected one tag per token");
            }
            for (int t = 0; t < row.length; t++) {
                if (row[t] < 0) {
                    throw new IllegalArgumentException("Batches.tagging: the tag of sequence " + b + " at step " + t
                            + " is " + row[t] + ", expected a class >= 0");
                }
            }
        }
        return new SequenceBatch(null, pad(sequences, 0, lengths, padId), lengths, null,
                pad(tags, 0, lengths, IGNORE_LABEL));
    }

    /**
     * Real-valued sequences {@code [T_b][F]} as features {@code [B, T, F]}, padded with zeros, with
     * lengths and no targets (add targets with the {@link SequenceBatch} constructor).
     *
     * @throws IllegalArgumentException when there is no sequence, a sequence is empty, or the
     *                                  feature counts differ
     */
    public static SequenceBatch features(List<float[][]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("Batches.features: expected at least one sequence, given none");
        }
        int features = -1;
        int[] lengths = new int[sequences.size()];
        for (int b = 0; b < lengths.length; b++) {
            float[][] s = sequences.get(b);
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("Batches.features: sequence " + b + " is "
                        + (s == null ? "null" : "empty") + ", expected at least one step");
            }
            for (int t = 0; t < s.length; t++) {
                if (s[t] == null) {
                    throw new IllegalArgumentException("Batches.features: sequence " + b + " step " + t + " is null");
                }
                if (features < 0) {
                    features = s[t].length;
                }
                if (s[t].length != features || features == 0) {
                    throw new IllegalArgumentException("Batches.features: sequence " + b + " step " + t + " has "
                            + s[t].length + " features, expected " + (features == 0 ? "at least 1" : features));
                }
            }
            lengths[b] = s.length;
        }
        int steps = Arrays.stream(lengths).max().orElseThrow();
        Tensor x = Tensor.zeros(lengths.length, steps, features);
        for (int b = 0; b < lengths.length; b++) {
            float[][] s = sequences.get(b);
            for (int t = 0; t < s.length; t++) {
                System.arraycopy(s[t], 0, x.data(), (b * steps + t) * features, features);
            }
        }
        return new SequenceBatch(x, null, lengths, null, null);
    }

    /** Validates token sequences (at least {@code minLength} ids, none negative) and returns their lengths. */
    private static int[] lengths(String operation, List<int[]> sequences, int minLength, int padId) {
        if (padId < 0) {
            throw new IllegalArgumentException(operation + ": pad id must be >= 0, given " + padId);
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(operation + ": expected at least one sequence, given none");
        }
        int[] lengths = new int[sequences.size()];
        for (int b = 0; b < lengths.length; b++) {
            int[] s = sequences.get(b);
            if (s == null) {
                throw new IllegalArgumentException(operation + ": sequence " + b + " is null");
            }
            if (s.length < minLength) {
                throw new IllegalArgumentException(operation + ": sequence " + b + " has " + s.length
                        + " tokens, expected at least " + minLength);
            }
            for (int t = 0; t < s.length; t++) {
                if (s[t] < 0) {
                    throw new IllegalArgumentException(operation + ": sequence " + b + " has the id " + s[t]
                            + " at step " + t + ", expected ids >= 0");
                }
            }
            lengths[b] = s.length;
        }
        return lengths;
    }

    /** Rows {@code [B][max(lengths)]}: {@code lengths[b]} values of row {@code b} from {@code offset}, then {@code fill}. */
    private static int[][] pad(List<int[]> rows, int offset, int[] lengths, int fill) {
        int steps = Arrays.stream(lengths).max().orElseThrow();
        int[][] out = new int[lengths.length][steps];
        for (int b = 0; b < lengths.length; b++) {
            System.arraycopy(rows.get(b), offset, out[b], 0, lengths[b]);
            Arrays.fill(out[b], lengths[b], steps, fill);
        }
        return out;
    }
}
