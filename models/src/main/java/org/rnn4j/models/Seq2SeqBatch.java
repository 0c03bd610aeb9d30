package org.rnn4j.models;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of source and target token sequences for a {@link Seq2Seq} model, padded at the end to
 * rectangular {@code [B][S]} and {@code [B][T]} arrays. Targets exclude the begin-of-sequence token
 * (the model feeds it as the first decoder input) and should end with the end-of-sequence token,
 * so the model learns where to stop; steps at and past a row's target length are padding and are
 * left out of the loss. The arrays are copied when the batch is made, so later changes to the
 * caller's arrays do not reach it; the accessors return the batch's own arrays (no copy per call),
 * which callers must not change.
 *
 * @param source        source tokens {@code [B][S]}
 * @param sourceLengths real source tokens of each row, each in {@code [1, S]}
 * @param target        target tokens {@code [B][T]}
 * @param targetLengths real target tokens of each row, each in {@code [1, T]}
 */
public record Seq2SeqBatch(int[][] source, int[] sourceLengths, int[][] target, int[] targetLengths) {

    private static final String OWNER = "Seq2SeqBatch";

    /**
     * Validates the shapes and copies the arrays.
     *
     * @throws IllegalArgumentException when the arrays are not rectangular, the row counts differ or a
     *                                  length is out of range, naming the row, the expected and the given value
     */
    public Seq2SeqBatch {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        source = rectangular(OWNER, "source", source);
        target = rectangular(OWNER, "target", target);
        requireCount("target rows", source.length, target.length);
        sourceLengths = checkLengths(OWNER, "sourceLengths", sourceLengths, source.length, source[0].length);
        targetLengths = checkLengths(OWNER, "targetLengths", targetLengths, source.length, target[0].length);
    }

    /**
     * A batch from ragged rows, padded at the end with {@code padId}; each row's length is its own.
     *
     * @param sources source rows, each non-empty
     * @param targets target rows (without the begin-of-sequence token), each non-empty
     * @throws IllegalArgumentException when the row counts differ or a row is empty
     */
    public static Seq2SeqBatch of(int[][] sources, int[][] targets, int padId) {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(targets, "targets");
        requireCount("target rows", sources.length, targets.length);
        int[] sourceLengths = lengths("sources", sources);
        int[] targetLengths = lengths("targets", targets);
        return new Seq2SeqBatch(pad(sources, padId), sourceLengths, pad(targets, padId), targetLengths);
    }

    /** Rows in the batch ({@code B}). */
    public int size() {
        return source.length;
    }

    /** Padded source length ({@code S}). */
    public int sourceSteps() {
        return source[0].length;
    }

    /** Padded target length ({@code T}). */
    public int targetSteps() {
        return target[0].length;
    }

    /** Real target tokens over all rows: the number of tokens the loss averages over. */
    public long targetTokens() {
        long n = 0;
        for (int len : targetLengths) {
            n += len;
        }
        return n;
    }

    private static void requireCount(String what, int expected, int given) {
        if (given != expected) {
            throw new IllegalArgumentException(OWNER + ": expected " + expected + " " + what
                    + " (one per source row), given " + given);
        }
    }

    /**
     * A copy of {@code rows} after checking it has at least one row, equally long rows and at least one column.
     *
     * @param owner who checks, for messages
     */
    static int[][] rectangular(String owner, String name, int[][] rows) {
        Objects.requireNonNull(rows, name);
        if (rows.length == 0) {
            throw new IllegalArgumentException(owner + ": " + name + " needs at least one row, given 0");
        }
        int[][] copy = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new IllegalArgumentException(owner + ": " + name + " row " + r + " is null");
            }
            if (rows[r].length != rows[0].length) {
                throw new IllegalArgumentException(owner + ": " + name + " rows must all have " + rows[0].length
                        + " tokens (row 0's count; pad at the end), row " + r + " has " + rows[r].length);
            }
            copy[r] = rows[r].clone();
        }
        if (copy[0].length == 0) {
            throw new IllegalArgumentException(owner + ": " + name + " rows need at least one token, given 0");
        }
        return copy;
    }

    /**
     * A copy of {@code lengths} after checking it has one entry per row, each in {@code [1, steps]}.
     *
     * @param owner who checks, for messages
     */
    static int[] checkLengths(String owner, String name, int[] lengths, int rows, int steps) {
        Objects.requireNonNull(lengths, name);
        if (lengths.length != rows) {
            throw new IllegalArgumentException(owner + ": expected " + rows + " " + name + " entries (one per row), given "
                    + lengths.length);
        }
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] < 1 || lengths[r] > steps) {
                throw new IllegalArgumentException(owner + ": " + name + "[" + r + "] must be in [1, " + steps
                        + "], given " + lengths[r]);
            }
        }
        return lengths.clone();
    }

    private static int[] lengths(String name, int[][] rows) {
        int[] lengths = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null) {
                throw new IllegalArgumentException(OWNER + ": " + name + " row " + r + " is null");
            }
            lengths[r] = rows[r].length;
        }
        return lengths;
    }

    private static int[][] pad(int[][] rows, int padId) {
        int width = 0;
        for (int[] row : rows) {
            width = Math.max(width, row.length);
        }
        int[][] padded = new int[rows.length][width];
        for (int r = 0; r < rows.length; r++) {
            Arrays.fill(padded[r], padId);
            System.arraycopy(rows[r], 0, padded[r], 0, rows[r].length);
        }
        return padded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Seq2SeqBatch other && Arrays.deepEquals(source, other.source)
                && Arrays.equals(sourceLengths, other.sourceLengths) && Arrays.deepEquals(target, other.target)
                && Arrays.equals(targetLengths, other.targetLengths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.deepHashCode(source), Arrays.hashCode(sourceLengths), Arrays.deepHashCode(target),
                Arrays.hashCode(targetLengths));
    }

    @Override
    public String toString() {
        return "Seq2SeqBatch[" + size() + " rows, source " + sourceSteps() + " steps, target " + targetSteps() + " steps]";
    }
}
