package org.rnn4j.training;

import java.util.Arrays;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;

/**
 * Loss functions, each returning its value and its gradient with respect to the prediction, so a
 * training step is {@code loss = ...; layer.backward(loss.gradient())}. Values are means over the
 * counted elements (padded targets excluded); gradients are of that mean.
 */
public final class Losses {

    private Losses() {
    }

    /**
     * A loss value and its gradient.
     *
     * @param value    the mean loss
     * @param gradient d value / d prediction, shaped like the prediction
     */
    public record Loss(double value, Tensor gradient) {
    }

    /** Mean squared error {@code mean((p - t)^2)}. */
    public static Loss mse(Tensor prediction, Tensor target) {
        Shapes.requireSame("mse", "target", prediction, target);
        int n = requireNonEmpty("mse", prediction);
        Tensor g = Tensor.zeros(prediction.shape());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = prediction.data()[i] - target.data()[i];
            sum += d * d;
            g.data()[i] = (float) (2 * d / n);
        }
        return new Loss(sum / n, g);
    }

    /** Mean absolute error {@code mean(|p - t|)}; the gradient at 0 is 0. */
    public static Loss mae(Tensor prediction, Tensor target) {
        Shapes.requireSame("mae", "target", prediction, target);
        int n = requireNonEmpty("mae", prediction);
        Tensor g = Tensor.zeros(prediction.shape());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = prediction.data()[i] - target.data()[i];
            sum += Math.abs(d);
            g.data()[i] = (float) (Math.signum(d) / n);
        }
        return new Loss(sum / n, g);
    }

    /**
     * Huber loss: {@code d^2 / 2} where {@code |d| <= delta}, else {@code delta (|d| - delta / 2)}.
     *
     * @throws IllegalArgumentException when {@code delta <= 0}
     */
    public static Loss huber(Tensor prediction, Tensor target, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be > 0, given " + delta);
        }
        Shapes.requireSame("huber", "target", prediction, target);
        int n = requireNonEmpty("huber", prediction);
        Tensor g = Tensor.zeros(prediction.shape());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = prediction.data()[i] - target.data()[i];
            double a = Math.abs(d);
            sum += a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
            g.data()[i] = (float) ((a <= delta ? d : delta * Math.signum(d)) / n);
        }
        return new Loss(sum / n, g);
    }

    /**
     * Cross-entropy from logits, numerically stable (log-softmax), averaged over the rows whose label
     * is not {@code ignoreLabel}; with {@code smoothing = s} the target puts {@code 1 - s} on the
     * label and {@code s / C} on every class (Szegedy et al. 2016).
     *
     * @param logits      {@code [..., C]}, any leading dimensions (e.g. {@code [B, T, C]} per step)
     * @param labels      one label per row of logits, in {@code [0, C)} or {@code ignoreLabel}
     * @param ignoreLabel label of padded targets, excluded from the mean (e.g. -1)
     * @param smoothing   label smoothing in {@code [0, 1)}
     * @throws IllegalArgumentException when a label is out of range (naming its row), the counts differ,
     *                                  or every label is ignored
     */
    public static Loss crossEntropy(Tensor logits, int[] labels, int ignoreLabel, double smoothing) {
        if (logits.rank() < 1 || logits.dim(-1) < 1) {
            throw new IllegalArgumentException("crossEntropy: logits need a class dimension, given shape "
                    + Arrays.toString(logits.shape()));
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("crossEntropy: smoothing must be in [0, 1), given " + smoothing);
        }
        int c = logits.dim(-1);
        int rows = logits.size() / c;
        if (labels.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for " + rows
                    + " rows of logits (shape " + Arrays.toString(logits.shape()) + ")");
        }
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int y = labels[r];
            if (y == ignoreLabel) {
                continue;
            }
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException("crossEntropy: label " + y + " at row " + r + " is outside [0, " + c
                        + ") (ignored label: " + ignoreLabel + ")");
            }
            counted++;
        }
        if (counted == 0) {
            throw new IllegalArgumentException("crossEntropy: every label is the ignored label " + ignoreLabel);
        }
        Tensor logp = Tensor.zeros(logits.shape());
        Kernels.get().logSoftmax(rows, c, logits.data(), 0, logp.data(), 0);
        Tensor g = Tensor.zeros(logits.shape());
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int y = labels[r];
            if (y == ignoreLabel) {
                continue;
            }
            double rowLoss = 0;
            for (int j = 0; j < c; j++) {
                double target = (j == y ? 1 - smoothing : 0) + smoothing / c;
                double lp = logp.data()[r * c + j];
                rowLoss -= target * lp;
                g.data()[r * c + j] = (float) ((Math.exp(lp) - target) / counted);
            }
            sum += rowLoss;
        }
        return new Loss(sum / counted, g);
    }

    private static int requireNonEmpty(String op, Tensor t) {
        if (t.size() == 0) {
            throw new IllegalArgumentException(op + ": the prediction is empty (shape " + Arrays.toString(t.shape()) + ")");
        }
        return t.size();
    }
}
