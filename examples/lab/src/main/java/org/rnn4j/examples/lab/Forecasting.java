package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Windowing;

/**
 * Forecasting a univariate series from its last {@code window} values. Each example is expressed
 * relative to the last value it sees: inputs {@code (y[t-W+i] - y[t-1]) / s} and targets
 * {@code (y[t-1+h] - y[t-1]) / s}, where {@code s} is the spread of one-step changes on the
 * training part only. The model learns the shape of the recent past, not the level, so a trending
 * series forecasts beyond the range it was trained on.
 */
final class Forecasting {

    /** The series after its variance-stabilizing transform (e.g. log), and the transform's inverse. */
    interface Transform {
        double forward(double x);

        double inverse(double y);
    }

    static final Transform IDENTITY = new Transform() {
        public double forward(double x) {
            return x;
        }

        public double inverse(double y) {
            return y;
        }
    };

    static final Transform LOG = new Transform() {
        public double forward(double x) {
            return Math.log(x);
        }

        public double inverse(double y) {
            return Math.exp(y);
        }
    };

    /** Square root: steadies the variance of counts such as sunspots. */
    static final Transform SQRT = new Transform() {
        public double forward(double x) {
            return Math.sqrt(Math.max(0, x));
        }

        public double inverse(double y) {
            return y * y;
        }
    };

    /** The transform called {@code name}: {@code none}, {@code log} or {@code sqrt}. */
    static Transform transform(String name) {
        return switch (name) {
            case "none" -> IDENTITY;
            case "log" -> LOG;
            case "sqrt" -> SQRT;
            default -> throw new IllegalArgumentException("unknown transform '" + name + "'; known: none, log, sqrt");
        };
    }

    final double[] y;
    final int window;
    final int horizon;
    final int trainEnd;
    final double scale;
    private final Transform transform;

    /**
     * @param series   the raw series
     * @param trainEnd values before this index are the training part
     */
    Forecasting(double[] series, Transform transform, int window, int horizon, int trainEnd) {
        this(series, transform, window, horizon, trainEnd, Double.NaN);
    }

    /** As above, with the input scale given (a saved model's) rather than fitted on the training part. */
    Forecasting(double[] series, Transform transform, int window, int horizon, int trainEnd, double givenScale) {
        if (trainEnd > series.length) {
            throw new IllegalArgumentException("forecasting: the training part ends at " + trainEnd + ", past the series of "
                    + series.length + " values");
        }
        if (!Double.isNaN(givenScale) && trainEnd < window) {
            throw new IllegalArgumentException("forecasting: the model reads " + window + " values, the series has " + trainEnd);
        }
        // Fitting the scale and training need at least a few windows with their targets.
        if (Double.isNaN(givenScale) && trainEnd < window + horizon + 2) {
            throw new IllegalArgumentException("forecasting: a training part of " + trainEnd + " values is too short for a window of "
                    + window + " and a horizon of " + horizon + " (series of " + series.length + ")");
        }
        this.transform = transform;
        this.y = new double[series.length];
        for (int i = 0; i < series.length; i++) {
            y[i] = transform.forward(series[i]);
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("forecasting: value " + series[i] + " at index " + i
                        + " has no finite transform (a log needs positive values)");
            }
        }
        this.window = window;
        this.horizon = horizon;
        this.trainEnd = trainEnd;
        double sum = 0;
        double sq = 0;
        for (int i = 1; i < trainEnd; i++) {
            double d = y[i] - y[i - 1];
            sum += d;
            sq += d * d;
        }
        double mean = sum / (trainEnd - 1);
        double sd = Math.sqrt(Math.max(sq / (trainEnd - 1) - mean * mean, 0));
        this.scale = !Double.isNaN(givenScale) ? givenScale : sd > 0 ? sd : 1;
    }

    /** The example whose first forecast step is {@code t}. */
    Windowing.Window example(int t) {
        float[][] in = new float[window][1];
        float[][] out = new float[horizon][1];
        double last = y[t - 1];
        for (int i = 0; i < window; i++) {
            in[i][0] = (float) ((y[t - window + i] - last) / scale);
        }
        for (int h = 0; h < horizon; h++) {
            out[h][0] = (float) ((y[t + h] - last) / scale);
        }
        return new Windowing.Window(in, out);
    }

    /** Training examples: every window whose targets lie in the training part, oldest first. */
    List<Windowing.Window> trainingExamples() {
        List<Windowing.Window> examples = new ArrayList<>();
        for (int t = window; t + horizon <= trainEnd; t++) {
            examples.add(example(t));
        }
        return examples;
    }

    /** Forecast origins in the test part with the whole horizon inside the series. */
    int[] testOrigins() {
        int n = y.length - horizon + 1 - trainEnd;
        int[] origins = new int[Math.max(0, n)];
        for (int i = 0; i < origins.length; i++) {
            origins[i] = trainEnd + i;
        }
        return origins;
    }

    /** Raw-scale forecasts {@code [origin][h]} from model outputs in example units. */
    double[][] toSeries(int[] origins, float[][] relative) {
        double[][] f = new double[origins.length][horizon];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < horizon; h++) {
                f[i][h] = transform.inverse(y[origins[i] - 1] + relative[i][h] * scale);
            }
        }
        return f;
    }

    double raw(int t) {
        return transform.inverse(y[t]);
    }

    /** RMSE of raw-scale forecasts {@code [origin][h]} against the series. */
    double rmse(int[] origins, double[][] forecasts) {
        double sq = 0;
        int n = 0;
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < horizon; h++) {
                double e = forecasts[i][h] - raw(origins[i] + h);
                sq += e * e;
                n++;
            }
        }
        return Math.sqrt(sq / n);
    }

    /** Seasonal naive: each step repeats the value one season earlier (from the history before the origin). */
    double[][] seasonalNaive(int[] origins, int season) {
        double[][] f = new double[origins.length][horizon];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < horizon; h++) {
                int back = season * (h / season + 1);
                f[i][h] = raw(origins[i] + h - back);
            }
        }
        return f;
    }

    /** A linear autoregression on the same relative inputs, fitted by least squares (with a small ridge) on the training examples. */
    double[][] linear(int[] origins) {
        List<Windowing.Window> train = trainingExamples();
        int d = window + 1;
        double[][] gram = new double[d][d];
        double[][] cross = new double[d][horizon];
        for (Windowing.Window w : train) {
            double[] x = features(w);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    gram[i][j] += x[i] * x[j];
                }
                for (int h = 0; h < horizon; h++) {
                    cross[i][h] += x[i] * w.target()[h][0];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            gram[i][i] += 1e-3;
        }
        double[][] coef = solve(gram, cross);
        float[][] relative = new float[origins.length][horizon];
        for (int o = 0; o < origins.length; o++) {
            double[] x = features(example(origins[o]));
            for (int h = 0; h < horizon; h++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += coef[i][h] * x[i];
                }
                relative[o][h] = (float) s;
            }
        }
        return toSeries(origins, relative);
    }

    private double[] features(Windowing.Window w) {
        double[] x = new double[window + 1];
        for (int i = 0; i < window; i++) {
            x[i] = w.input()[i][0];
        }
        x[window] = 1;
        return x;
    }

    /** Solves {@code a x = b} for every column of {@code b} by Gaussian elimination with partial pivoting. */
    private static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] aa = new double[n][];
        double[][] bb = new double[n][];
        for (int i = 0; i < n; i++) {
            aa[i] = a[i].clone();
            bb[i] = b[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(aa[r][c]) > Math.abs(aa[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = aa[c];
            aa[c] = aa[pivot];
            aa[pivot] = t;
            t = bb[c];
            bb[c] = bb[pivot];
            bb[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = aa[r][c] / aa[c][c];
                for (int k = c; k < n; k++) {
                    aa[r][k] -= f * aa[c][k];
                }
                for (int k = 0; k < m; k++) {
                    bb[r][k] -= f * bb[c][k];
                }
            }
        }
        double[][] x = new double[n][m];
        for (int r = n - 1; r >= 0; r--) {
            for (int k = 0; k < m; k++) {
                double s = bb[r][k];
                for (int j = r + 1; j < n; j++) {
                    s -= aa[r][j] * x[j][k];
                }
                x[r][k] = s / aa[r][r];
            }
        }
        return x;
    }

    /**
     * Trains a many-to-one model of {@code cell} on every training example for a fixed number of
     * epochs (a series this short leaves too few recent windows for a trustworthy early stop).
     */
    SequenceModel train(LabRun run, String cell, int hidden, int epochs) throws IOException {
        SequenceModel model = SequenceModel.builder(Recurrent.builder(cell).inputSize(1).hiddenSize(hidden).seed(run.seed()).build())
                .outputs(horizon).seed(run.seed() + 1).build();
        try (LabRun.Progress progress = run.progress(cell + " h=" + horizon, epochs)) {
            Trainer.<Windowing.Window, SequenceBatch>builder(model, Windowing::batch)
                    .optimizer("adamw", Options.of("weight_decay", "0.05")).learningRate(0.005).batchSize(16).epochs(epochs).seed(run.seed())
                    .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                    .listener(progress).build().fit(trainingExamples());
        }
        return model;
    }

    /**
     * Recursive forecasting: a one-step model forecasts {@code steps} values after {@code origin},
     * each forecast becoming part of the history the next one reads.
     */
    double[] recursive(SequenceModel model, int origin, int steps) {
        if (horizon != 1) {
            throw new IllegalArgumentException("forecasting: recursion needs a one-step model, this one forecasts " + horizon);
        }
        double[] history = java.util.Arrays.copyOf(y, origin + steps);
        double[] forecast = new double[steps];
        for (int s = 0; s < steps; s++) {
            int t = origin + s;
            float[][] in = new float[window][1];
            for (int i = 0; i < window; i++) {
                in[i][0] = (float) ((history[t - window + i] - history[t - 1]) / scale);
            }
            Tensor out = model.predict(Windowing.batch(List.of(new Windowing.Window(in, new float[][] {{0f}}))));
            history[t] = history[t - 1] + out.data()[0] * scale;
            forecast[s] = transform.inverse(history[t]);
        }
        return forecast;
    }

    /** The model's raw-scale forecasts {@code [origin][h]}. */
    double[][] forecast(SequenceModel model, int[] origins) {
        List<Windowing.Window> examples = new ArrayList<>();
        for (int t : origins) {
            examples.add(example(t));
        }
        Tensor out = model.predict(Windowing.batch(examples));
        float[][] relative = new float[origins.length][horizon];
        for (int i = 0; i < origins.length; i++) {
            System.arraycopy(out.data(), i * horizon, relative[i], 0, horizon);
        }
        return toSeries(origins, relative);
    }
}
