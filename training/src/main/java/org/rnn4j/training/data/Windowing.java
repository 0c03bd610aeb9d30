package org.rnn4j.training.data;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.core.Tensor;

/**
 * Cuts a time series into supervised examples: each window's input is {@code length} consecutive
 * steps and its target the {@code horizon} steps that follow. Windows start at step 0 and every
 * {@code stride} steps after; trailing steps too few for one more window are not used. To keep
 * windows from crossing a training / validation / test boundary, cut each part of a
 * {@link ChronologicalSplit} separately.
 */
public final class Windowing {

    private static final int ALL_COLUMNS = -1;

    private Windowing() {
    }

    /**
     * One example. Its arrays are its own: cutting copies the steps out of the series.
     *
     * @param input  {@code [length][F]}: the steps the model sees
     * @param target {@code [horizon][T]}: the steps it predicts, all {@code F} features or one column
     */
    public record Window(float[][] input, float[][] target) {
    }

    /** Windows of a univariate series: inputs {@code [length][1]}, targets {@code [horizon][1]}. */
    public static List<Window> windows(float[] series, int length, int horizon, int stride) {
        return cut(stack(series), length, horizon, stride, ALL_COLUMNS);
    }

    /**
     * Windows of a {@code [N][F]} series predicting every feature: inputs {@code [length][F]},
     * targets {@code [horizon][F]}.
     *
     * @throws IllegalArgumentException when a parameter is below 1, the series is ragged or holds a
     *                                  NaN or an infinity, or it is shorter than {@code length + horizon}
     */
    public static List<Window> windows(float[][] series, int length, int horizon, int stride) {
        return cut(series, length, horizon, stride, ALL_COLUMNS);
    }

    /**
     * Windows of a {@code [N][F]} series predicting one column: inputs {@code [length][F]}, targets
     * {@code [horizon][1]} from column {@code targetColumn}.
     *
     * @throws IllegalArgumentException as {@link #windows(float[][], int, int, int)}, or when
     *                                  {@code targetColumn} is not in {@code [0, F)}
     */
    public static List<Window> windows(float[][] series, int length, int horizon, int stride, int targetColumn) {
        if (targetColumn < 0) {
            throw new IllegalArgumentException("Windowing.windows: target column must be >= 0, given " + targetColumn);
        }
        return cut(series, length, horizon, stride, targetColumn);
    }

    private static List<Window> cut(float[][] series, int length, int horizon, int stride, int targetColumn) {
        if (length < 1 || horizon < 1 || stride < 1) {
            throw new IllegalArgumentException("Windowing.windows: length, horizon and stride must be >= 1, given "
                    + length + ", " + horizon + ", " + stride);
        }
        int features = requireSeries("Windowing.windows", series);
        if (targetColumn >= features) {
            throw new IllegalArgumentException("Windowing.windows: target column must be in [0, " + features + "), given "
                    + targetColumn);
        }
        // Sums in long: length + horizon, or start + stride, may pass Integer.MAX_VALUE.
        long span = (long) length + horizon;
        if (series.length < span) {
            throw new IllegalArgumentException("Windowing.windows: a series of " + series.length
                    + " steps is too short for one window of " + length + " input steps and " + horizon + " target steps");
        }
        List<Window> windows = new ArrayList<>();
        for (long start = 0; start + span <= series.length; start += stride) {
            float[][] input = new float[length][];
            for (int t = 0; t < length; t++) {
                input[t] = series[(int) start + t].clone();
            }
            float[][] target = new float[horizon][];
            for (int h = 0; h < horizon; h++) {
                float[] row = series[(int) start + length + h];
                target[h] = targetColumn == ALL_COLUMNS ? row.clone() : new float[] {row[targetColumn]};
            }
            windows.add(new Window(input, target));
        }
        return windows;
    }

    /**
     * Columns side by side as a {@code [N][F]} series, e.g. several columns read with {@link Csv}.
     *
     * @throws IllegalArgumentException when there is no column or the columns differ in length
     */
    public static float[][] stack(float[]... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("Windowing.stack: expected at least one column, given none");
        }
        for (int c = 0; c < columns.length; c++) {
            if (columns[c] == null) {
                throw new IllegalArgumentException("Windowing.stack: column " + c + " is null");
            }
        }
        int n = columns[0].length;
        for (int c = 1; c < columns.length; c++) {
            if (columns[c].length != n) {
                throw new IllegalArgumentException("Windowing.stack: column " + c + " has " + columns[c].length
                        + " steps, column 0 has " + n);
            }
        }
        float[][] series = new float[n][columns.length];
        for (int c = 0; c < columns.length; c++) {
            for (int t = 0; t < n; t++) {
                series[t][c] = columns[c][t];
            }
        }
        return series;
    }

    /**
     * Windows as one sequence-to-value batch: features {@code [B, length, F]} and targets
     * {@code [B, horizon * T]} (each window's target rows one after the other). To batch a sampler's
     * indexes, pass {@code Batches.select(windows, indexes)}.
     *
     * @throws IllegalArgumentException when {@code windows} is empty or its windows differ in shape
     */
    public static SequenceBatch batch(List<Window> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("Windowing.batch: expected at least one window, given none");
        }
        for (int b = 0; b < windows.size(); b++) {
            if (windows.get(b) == null) {
                throw new IllegalArgumentException("Windowing.batch: window " + b + " is null");
            }
        }
        Window first = windows.getFirst();
        int features = requireSeries("Windowing.batch: window 0 input", first.input());
        int length = first.input().length;
        int targets = requireSeries("Windowing.batch: window 0 target", first.target());
        int horizon = first.target().length;
        Tensor x = Tensor.zeros(windows.size(), length, features);
        Tensor y = Tensor.zeros(windows.size(), horizon * targets);
        for (int b = 0; b < windows.size(); b++) {
            Window w = windows.get(b);
            requireShape(b, "input", w.input(), length, features);
            requireShape(b, "target", w.target(), horizon, targets);
            for (int t = 0; t < length; t++) {
                System.arraycopy(w.input()[t], 0, x.data(), (b * length + t) * features, features);
            }
            for (int h = 0; h < horizon; h++) {
                System.arraycopy(w.target()[h], 0, y.data(), (b * horizon + h) * targets, targets);
            }
        }
        return new SequenceBatch(x, null, null, y, null);
    }

    private static void requireShape(int window, String part, float[][] rows, int steps, int width) {
        if (rows == null) {
            throw new IllegalArgumentException("Windowing.batch: window " + window + " " + part + " is null");
        }
        if (rows.length != steps) {
            throw new IllegalArgumentException("Windowing.batch: window " + window + " " + part + " has " + rows.length
                    + " steps, window 0's has " + steps);
        }
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != width) {
                throw new IllegalArgumentException("Windowing.batch: window " + window + " " + part + " row " + r
                        + " has " + (rows[r] == null ? "no row (null)" : rows[r].length + " values")
                        + ", window 0's rows have " + width);
            }
        }
    }

    /** Checks that {@code series} is non-empty, rectangular with at least one column, and finite; returns F. */
    private static int requireSeries(String operation, float[][] series) {
        if (series == null) {
            throw new IllegalArgumentException(operation + " is null");
        }
        for (int t = 0; t < series.length; t++) {
            if (series[t] == null) {
                throw new IllegalArgumentException(operation + ": step " + t + " is null");
            }
        }
        if (series.length == 0 || series[0].length == 0) {
            throw new IllegalArgumentException(operation + ": expected at least one step of at least one feature, given "
                    + (series.length == 0 ? "no steps" : "steps of no features"));
        }
        int features = series[0].length;
        for (int t = 0; t < series.length; t++) {
            if (series[t].length != features) {
                throw new IllegalArgumentException(operation + ": step " + t + " has " + series[t].length
                        + " features, step 0 has " + features);
            }
            for (int f = 0; f < features; f++) {
                if (!Float.isFinite(series[t][f])) {
                    throw new IllegalArgumentException(operation + ": expected finite values, given " + series[t][f]
                            + " at step " + t + ", feature " + f);
                }
            }
        }
        return features;
    }
}
