package org.rnn4j.tests.seq2seq;

import java.util.function.DoubleSupplier;

/** Numeric derivatives for the gradient checks. */
final class FiniteDifferences {

    /** The step: with the five-point stencil, truncation error O(h^4) stays below float32 noise. */
    static final float H = 2e-2f;

    private FiniteDifferences() {
    }

    /** {@code dLoss/dw[j]} by the five-point stencil; {@code w[j]} is restored. */
    static double derivative(float[] w, int j, DoubleSupplier loss) {
        float keep = w[j];
        float[] offsets = {2 * H, H, -H, -2 * H};
        double[] f = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            w[j] = keep + offsets[i];
            f[i] = loss.getAsDouble();
        }
        w[j] = keep;
        return (8 * (f[1] - f[2]) - (f[0] - f[3])) / (12 * (double) H);
    }
}
