package org.rnn4j.spi.cell;

import java.util.SplittableRandom;
import org.rnn4j.core.Tensor;

/**
 * Parameter initializers for recurrent weights, applied per gate block: a weight of shape
 * {@code [G*H, in]} is G blocks of {@code [H, in]}, each initialized on its own, so every gate gets
 * the intended scale (and, for recurrent weights, its own orthogonal matrix). All draw from a
 * caller-seeded generator, so equal seeds give equal weights.
 */
public final class Init {

    private Init() {
    }

    /**
     * Uniform in {@code [-limit, limit]} for every element (PyTorch's RNN default uses {@code 1/sqrt(H)}).
     *
     * @throws IllegalArgumentException when {@code limit} is not positive and finite
     */
    public static void uniform(Tensor t, double limit, SplittableRandom rng) {
        if (!(limit > 0 && limit < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Init.uniform: limit must be positive and finite, given " + limit);
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextDouble(-limit, limit);
        }
    }

    /**
     * Glorot/Xavier uniform per gate block: {@code limit = sqrt(6 / (fanIn + fanOut))} with
     * {@code fanIn = in} and {@code fanOut = H}.
     *
     * @throws IllegalArgumentException when the weight is not {@code gates} blocks of rows
     */
    public static void glorotUniform(Tensor weight, int gates, SplittableRandom rng) {
        int rows = blockRows("Init.glorotUniform", weight, gates);
        double limit = Math.sqrt(6.0 / (weight.dim(1) + rows));
        uniform(weight, limit, rng);
    }

    /**
     * An orthogonal matrix per gate block (blocks must be square, {@code [H, H]}), from the QR
     * decomposition of a Gaussian matrix with the sign correction that makes it uniformly
     * distributed (Saxe et al. 2014; Mezzadri 2007).
     *
     * @throws IllegalArgumentException when the blocks are not square
     */
    public static void orthogonal(Tensor weight, int gates, SplittableRandom rng) {
        int n = squareBlocks("Init.orthogonal", weight, gates);
        for (int g = 0; g < gates; g++) {
            double[][] q = randomOrthogonal(n, rng);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    weight.data()[(g * n + i) * n + j] = (float) q[i][j];
                }
            }
        }
    }

    /**
     * {@code scale} times the identity in each square gate block (IRNN, Le et al. 2015).
     *
     * @throws IllegalArgumentException when the blocks are not square
     */
    public static void identity(Tensor weight, int gates, float scale) {
        int n = squareBlocks("Init.identity", weight, gates);
        weight.fill(0f);
        for (int g = 0; g < gates; g++) {
            for (int i = 0; i < n; i++) {
                weight.data()[(g * n + i) * n + i] = scale;
            }
        }
    }

    /**
     * Sets gate block {@code gate} (of {@code hidden} entries) of a bias vector to {@code value}.
     *
     * @throws IllegalArgumentException when the bias is not a vector of whole blocks or has no block {@code gate}
     */
    public static void fillGate(Tensor bias, int gate, int hidden, float value) {
        if (bias.rank() != 1 || hidden < 1 || bias.dim(0) % hidden != 0 || gate < 0 || gate >= bias.dim(0) / hidden) {
            throw new IllegalArgumentException("Init.fillGate: gate " + gate + " of " + hidden
                    + " entries is not a block of the bias of shape " + java.util.Arrays.toString(bias.shape()));
        }
        java.util.Arrays.fill(bias.data(), gate * hidden, (gate + 1) * hidden, value);
    }

    /** Rows per gate block of a {@code [G*H, in]} weight. */
    private static int blockRows(String op, Tensor weight, int gates) {
        if (weight.rank() != 2 || gates < 1 || weight.dim(0) % gates != 0) {
            throw new IllegalArgumentException(op + ": weight of shape " + java.util.Arrays.toString(weight.shape())
                    + " is not " + gates + " gate blocks of equal rows");
        }
        return weight.dim(0) / gates;
    }

    /** The size {@code n} of the square {@code [n, n]} gate blocks of a {@code [G*n, n]} weight. */
    private static int squareBlocks(String op, Tensor weight, int gates) {
        int n = weight.rank() == 2 ? weight.dim(1) : -1;
        if (weight.rank() != 2 || gates < 1 || weight.dim(0) != (long) gates * n) {
            throw new IllegalArgumentException(op + ": weight of shape " + java.util.Arrays.toString(weight.shape())
                    + " is not " + gates + " square blocks of [" + n + ", " + n + "]");
        }
        return n;
    }

    private static double[][] randomOrthogonal(int n, SplittableRandom rng) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = gaussian(rng);
            }
        }
        // Modified Gram-Schmidt on the columns; the column signs follow R's positive diagonal.
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = a[i][j];
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[i][k] * v[i];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
