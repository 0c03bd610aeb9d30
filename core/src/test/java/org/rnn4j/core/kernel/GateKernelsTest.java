package org.rnn4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused gate passes of the vector kernels against the scalar twin, and the scalar twin against
 * the equations written out in double precision (the backward passes against central differences
 * of those equations), at awkward hidden sizes and offsets.
 */
class GateKernelsTest {

    private static final Kernels SCALAR = Kernels.scalar();
    private static final Kernels VECTOR = Kernels.vector(1);
    private static final double TOL = 2e-6;

    private static float[] random(SplittableRandom rng, int n, double range) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-range, range);
        }
        return v;
    }

    private static void close(String what, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL + TOL * Math.abs(want[i]), what + " element " + i);
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 100, 257})
    void lstmForwardAndBackward(int h) {
        SplittableRandom rng = new SplittableRandom(h);
        int off = 3;
        float[] pre = random(rng, off + 4 * h, 4);
        float[] c0 = random(rng, off + h, 1);
        float[][] gates = new float[2][];
        float[][] c = new float[2][];
        float[][] tc = new float[2][];
        float[][] hh = new float[2][];
        Kernels[] both = {SCALAR, VECTOR};
        for (int v = 0; v < 2; v++) {
            gates[v] = pre.clone();
            c[v] = c0.clone();
            tc[v] = new float[off + h];
            hh[v] = new float[off + h];
            both[v].lstmForward(h, gates[v], off, c[v], off, tc[v], off, hh[v], off);
        }
        for (int j = 0; j < h; j++) {
            double i = sigmoid(pre[off + j]);
            double f = sigmoid(pre[off + h + j]);
            double g = Math.tanh(pre[off + 2 * h + j]);
            double o = sigmoid(pre[off + 3 * h + j]);
            double cn = f * c0[off + j] + i * g;
            assertEquals(cn, c[0][off + j], 1e-6, "scalar c");
            assertEquals(o * Math.tanh(cn), hh[0][off + j], 1e-6, "scalar h");
        }
        close("gates", gates[0], gates[1]);
        close("c", c[0], c[1]);
        close("tanh c", tc[0], tc[1]);
        close("h", hh[0], hh[1]);

        float[] dh = random(rng, off + h, 1);
        float[] dc0 = random(rng, off + h, 1);
        float[][] dc = new float[2][];
        float[][] dg = new float[2][];
        for (int v = 0; v < 2; v++) {
            dc[v] = dc0.clone();
            dg[v] = new float[off + 4 * h];
            both[v].lstmBackward(h, gates[0], off, c0, off, tc[0], off, dh, off, dc[v], off, dg[v], off);
        }
        close("dGates", dg[0], dg[1]);
        close("dc", dc[0], dc[1]);

        // The scalar backward against central differences of the forward equations in double, of
        // the loss dh.h + dc.c (dc as given), by each pre-activation and the previous cell state.
        for (int j = 0; j < h; j++) {
            double[] in = {pre[off + j], pre[off + h + j], pre[off + 2 * h + j], pre[off + 3 * h + j], c0[off + j]};
            double dhj = dh[off + j];
            double dcj = dc0[off + j];
            java.util.function.ToDoubleFunction<double[]> loss = v -> {
                double cn = sigmoid(v[1]) * v[4] + sigmoid(v[0]) * Math.tanh(v[2]);
                return dhj * sigmoid(v[3]) * Math.tanh(cn) + dcj * cn;
            };
            double[] want = differences(loss, in);
            for (int k = 0; k < 4; k++) {
                assertEquals(want[k], dg[0][off + k * h + j], 1e-5 * (1 + Math.abs(want[k])),
                        "scalar dGates[" + "ifgo".charAt(k) + "] unit " + j);
            }
            assertEquals(want[4], dc[0][off + j], 1e-5 * (1 + Math.abs(want[4])), "scalar dc of the previous state, unit " + j);
        }
    }

    /** Central differences in double of {@code f} by each of its arguments. */
    private static double[] differences(java.util.function.ToDoubleFunction<double[]> f, double[] at) {
        double eps = 1e-6;
        double[] d = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            double[] up = at.clone();
            double[] down = at.clone();
            up[k] += eps;
            down[k] -= eps;
            d[k] = (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * eps);
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 16, 17, 33, 100, 257})
    void gruForwardAndBackward(int h) {
        SplittableRandom rng = new SplittableRandom(h + 100);
        int off = 5;
        float[] gi0 = random(rng, off + 3 * h, 3);
        float[] gh = random(rng, off + 3 * h, 3);
        float[] h0 = random(rng, off + h, 1);
        Kernels[] both = {SCALAR, VECTOR};
        float[][] gi = new float[2][];
        float[][] hs = new float[2][];
        for (int v = 0; v < 2; v++) {
            gi[v] = gi0.clone();
            hs[v] = h0.clone();
            both[v].gruForward(h, gi[v], off, gh, off, hs[v], off);
        }
        for (int j = 0; j < h; j++) {
            double r = sigmoid(gi0[off + j] + gh[off + j]);
            double z = sigmoid(gi0[off + h + j] + gh[off + h + j]);
            double n = Math.tanh(gi0[off + 2 * h + j] + r * gh[off + 2 * h + j]);
            assertEquals((1 - z) * n + z * h0[off + j], hs[0][off + j], 1e-6, "scalar h");
        }
        close("activations", gi[0], gi[1]);
        close("h", hs[0], hs[1]);

        float[] dh = random(rng, off + h, 1);
        float[][] dgi = new float[2][];
        float[][] dgh = new float[2][];
        float[][] direct = new float[2][];
        for (int v = 0; v < 2; v++) {
            dgi[v] = new float[off + 3 * h];
            dgh[v] = new float[off + 3 * h];
            direct[v] = new float[off + h];
            both[v].gruBackward(h, gi[0], off, gh, off, h0, off, dh, off, dgi[v], off, dgh[v], off, direct[v], off);
        }
        close("dGi", dgi[0], dgi[1]);
        close("dGh", dgh[0], dgh[1]);
        close("direct", direct[0], direct[1]);

        // The scalar backward against central differences of the forward equations in double, of
        // the loss dh.h', by each input projection, each recurrent projection and the previous state
        // where it enters the blend directly (its path through gh is the caller's).
        for (int j = 0; j < h; j++) {
            double[] in = {gi0[off + j], gi0[off + h + j], gi0[off + 2 * h + j],
                gh[off + j], gh[off + h + j], gh[off + 2 * h + j], h0[off + j]};
            double dhj = dh[off + j];
            java.util.function.ToDoubleFunction<double[]> loss = v -> {
                double r = sigmoid(v[0] + v[3]);
                double z = sigmoid(v[1] + v[4]);
                double n = Math.tanh(v[2] + r * v[5]);
                return dhj * ((1 - z) * n + z * v[6]);
            };
            double[] want = differences(loss, in);
            for (int k = 0; k < 3; k++) {
                assertEquals(want[k], dgi[0][off + k * h + j], 1e-5 * (1 + Math.abs(want[k])),
                        "scalar dGi[" + "rzn".charAt(k) + "] unit " + j);
                assertEquals(want[3 + k], dgh[0][off + k * h + j], 1e-5 * (1 + Math.abs(want[3 + k])),
                        "scalar dGh[" + "rzn".charAt(k) + "] unit " + j);
            }
            assertEquals(want[6], direct[0][off + j], 1e-5 * (1 + Math.abs(want[6])), "scalar direct dh, unit " + j);
        }
    }
}
