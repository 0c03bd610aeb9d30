package org.rnn4j.training.data;

import java.util.Arrays;

/**
 * A split of a time series into consecutive training, validation and test parts, in that order, so
 * that a model is validated and tested on data later than all it trained on. Windows cut from
 * each part separately ({@link Windowing}) never cross a boundary.
 *
 * @param trainSize      steps in the training part, {@code >= 1}
 * @param validationSize steps in the validation part, {@code >= 0}
 * @param testSize       steps in the test part, {@code >= 0}
 */
public record ChronologicalSplit(int trainSize, int validationSize, int testSize) {

    /** Validates the sizes. */
    public ChronologicalSplit {
        if (trainSize < 1 || validationSize < 0 || testSize < 0) {
            throw new IllegalArgumentException("ChronologicalSplit: expected train >= 1, validation >= 0, test >= 0 steps, given "
                    + trainSize + ", " + validationSize + ", " + testSize);
        }
        if ((long) trainSize + validationSize + testSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ChronologicalSplit: the parts add up to more than " + Integer.MAX_VALUE + " steps");
        }
    }

    /**
     * The last {@code validation} and {@code test} fractions of {@code size} steps (each rounded to
     * the nearest step) for validation and test, the rest for training.
     *
     * @throws IllegalArgumentException when a fraction is outside {@code [0, 1)} or no step is left for training
     */
    public static ChronologicalSplit byFraction(int size, double validation, double test) {
        if (!(validation >= 0 && validation < 1) || !(test >= 0 && test < 1)) {
            throw new IllegalArgumentException("ChronologicalSplit.byFraction: fractions must be in [0, 1), given validation "
                    + validation + ", test " + test);
        }
        return byCount(size, (int) Math.round(size * validation), (int) Math.round(size * test));
    }

    /**
     * The last {@code validation} and {@code test} steps of {@code size} for validation and test, the
     * rest for training.
     *
     * @throws IllegalArgumentException when a count is negative or no step is left for training
     */
    public static ChronologicalSplit byCount(int size, int validation, int test) {
        if (validation < 0 || test < 0 || (long) validation + test >= size) {
            throw new IllegalArgumentException("ChronologicalSplit: " + size + " steps leave none for training after "
                    + validation + " for validation and " + test + " for test");
        }
        return new ChronologicalSplit(size - validation - test, validation, test);
    }

    /** Steps in all three parts. */
    public int size() {
        return trainSize + validationSize + testSize;
    }

    /** The training part of a univariate series of {@link #size()} steps (a copy). */
    public float[] train(float[] series) {
        requireSize("train", series.length);
        return Arrays.copyOfRange(series, 0, trainSize);
    }

    /** The validation part of a univariate series of {@link #size()} steps (a copy; empty when there is none). */
    public float[] validation(float[] series) {
        requireSize("validation", series.length);
        return Arrays.copyOfRange(series, trainSize, trainSize + validationSize);
    }

    /** The test part of a univariate series of {@link #size()} steps (a copy; empty when there is none). */
    public float[] test(float[] series) {
        requireSize("test", series.length);
        return Arrays.copyOfRange(series, trainSize + validationSize, series.length);
    }

    /** The training rows of a {@code [N][F]} series of {@link #size()} steps (the rows are shared). */
    public float[][] train(float[][] series) {
        requireSize("train", series.length);
        return Arrays.copyOfRange(series, 0, trainSize);
    }

    /** The validation rows of a {@code [N][F]} series of {@link #size()} steps (the rows are shared). */
    public float[][] validation(float[][] series) {
        requireSize("validation", series.length);
        return Arrays.copyOfRange(series, trainSize, trainSize + validationSize);
    }

    /** The test rows of a {@code [N][F]} series of {@link #size()} steps (the rows are shared). */
    public float[][] test(float[][] series) {
        requireSize("test", series.length);
        return Arrays.copyOfRange(series, trainSize + validationSize, series.length);
    }

    private void requireSize(String part, int length) {
        if (length != size()) {
            throw new IllegalArgumentException("ChronologicalSplit." + part + ": expected a series of " + size()
                    + " steps, given " + length);
        }
    }
}
