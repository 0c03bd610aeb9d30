package org.rnn4j.core.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise arithmetic, activations and reductions on the Vector API, for {@link VectorKernels}.
 *
 * <p>Every loop runs whole vectors of {@link VectorKernels#SPECIES} and finishes with one masked
 * vector, so any {@code n >= 0} and any lane count work. Outputs may alias inputs exactly.
 * Reductions use several independent accumulators, so their summation order (and rounding)
 * differs from the sequential scalar twin; {@code sumOfSquares} and the log-softmax normaliser
 * widen every lane to double before accumulating.
 *
 * <p>Transcendental functions are hand-written polynomials rather than {@code lanewise(EXP/TANH/LOG)},
 * which are slower (see {@code ActivationBenchmark}). Error bounds, measured against {@link Math} in
 * double precision on dense grids (millions of points plus the float neighbours of every switch
 * point) and asserted by {@code VectorMathAccuracyTest}; the measured maximum is in brackets:
 * <ul>
 *   <li>{@code exp}: {@code x = k ln2 + r}, {@code |r| <= ln2/2}, degree-6 Chebyshev (near-minimax) fit in
 *       {@code r}, times {@code 2^k} built in the exponent bits in two halves (so {@code k = 128}
 *       and subnormal results come out right). Relative error at most 1.2e-7 [8.9e-8, 1.5 ulp]
 *       where the result is a normal float ({@code -87.33 <= x <= 88.72}); below, gradual
 *       subnormals within one subnormal ulp plus that; {@code +Inf} above 88.7228, 0 below
 *       -103.97; {@code exp(-Inf) = 0}, {@code exp(+Inf) = +Inf}.</li>
 *   <li>{@code sigmoid}: {@code 1 / (1 + exp(-x))}, with {@code -x} clamped to {@code [-87, 89]}
 *       so that {@code 2^k} is one float (sigmoid and tanh need exp only where it is normal or
 *       overflows). Absolute error at most 1.2e-7 [8.9e-8] for every input;
 *       {@code sigmoid(+Inf) = 1}, {@code sigmoid(-Inf) = 0}, large negative inputs give tiny
 *       non-negative values (subnormal or 0).</li>
 *   <li>{@code tanh}: computed on {@code |x|}, then given the sign of {@code x} (so
 *       {@code -0.0 -> -0.0}). Below 0.625 {@code x + x^3 P(x^2)}, {@code P} a degree-4 Chebyshev
 *       fit: relative error at most 1.5e-7 [8.5e-8] there. Above, {@code 1 - 2 / (exp(2|x|) + 1)}.
 *       Absolute error at most 1e-7 [7.8e-8] for every input; exactly {@code ±1} for
 *       {@code |x| >= 9.1}, infinities included.</li>
 *   <li>{@code log}: {@code x = m 2^e} with {@code m} in {@code [sqrt(1/2), sqrt(2))},
 *       {@code log(m) = 2 atanh(s)}, {@code s = (m-1)/(m+1)}, odd series to {@code s^9}
 *       (truncation below 2e-9). Relative error at most 2e-7 [1.8e-7] for every positive finite
 *       input, subnormals included; {@code log(±0) = -Inf}, {@code log(x < 0) = NaN},
 *       {@code log(+Inf) = +Inf}.</li>
 * </ul>
 * NaN in gives NaN out in all four, as in {@code relu} and {@code max}.
 *
 * <p>Clamps use compare and blend rather than {@code min}/{@code max}, which cost several
 * instructions each for their NaN and signed-zero rules.
 */
final class VectorMath {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final int L = S.length();

    // exp: round(x * log2(e)) by adding 1.5 * 2^23, whose ulp is 1, so the integer sits in the low bits.
    private static final float LOG2E = 1.44269502f;
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LN2_HI = 0.693147182f;
    private static final float LN2_LO = -1.90465421e-9f;
    // Beyond these exp is +Inf or 0 anyway; clamping keeps k small enough for the exponent arithmetic.
    private static final float EXP_HI = 89f;
    private static final float EXP_LO = -104f;
    // Lowest argument of expNarrow: k = round(-87 log2(e)) = -126 keeps 2^k normal.
    private static final float NARROW_LO = -87f;
    // Chebyshev fit of e^r on [-ln2/2, ln2/2]; coefficients of r^6 .. r^2 (r^1 and r^0 are 1).
    private static final float E6 = 1.39411085e-3f;
    private static final float E5 = 8.37512594e-3f;
    private static final float E4 = 4.16663513e-2f;
    private static final float E3 = 1.66664153e-1f;
    private static final float E2 = 0.5f;

    // tanh(x) = x + x^3 P(x^2) below TANH_SMALL, Chebyshev fit of P on [0, 0.625^2]; P4 .. P0.
    private static final float TANH_SMALL = 0.625f;
    private static final float T4 = -6.09671418e-3f;
    private static final float T3 = 2.09971797e-2f;
    private static final float T2 = -5.38509078e-2f;
    private static final float T1 = 1.33327693e-1f;
    private static final float T0 = -3.33333284e-1f;
    private static final int SIGN_BIT = 0x8000_0000;
    private static final int ABS_BITS = 0x7fff_ffff;

    // log: m in [sqrt(1/2), sqrt(2)) from the bits of x minus those of sqrt(1/2).
    private static final int SQRT_HALF_BITS = 0x3f35_04f3;
    private static final int MANTISSA_BITS = 0x007f_ffff;
    private static final float TWO_POW_23 = 8388608f;

    private VectorMath() {
    }

    // ---- element-wise arithmetic ----------------------------------------------------------------

    static void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, aOff + i);
            va.add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector va = FloatVector.fromArray(S, a, aOff + i, m);
            va.add(FloatVector.fromArray(S, b, bOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, aOff + i);
            va.mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector va = FloatVector.fromArray(S, a, aOff + i, m);
            va.mul(FloatVector.fromArray(S, b, bOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).mul(alpha).intoArray(out, outOff + i, m);
        }
    }

    /** {@code y += alpha * x} with one rounding per element (FMA), so it may differ from the scalar twin by an ulp. */
    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
            madd(vx, alpha, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector vx = FloatVector.fromArray(S, x, xOff + i, m);
            madd(vx, alpha, FloatVector.fromArray(S, y, yOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    // ---- activations ----------------------------------------------------------------------------

    static void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            tanh(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            relu(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            relu(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void exp(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            exp(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            exp(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void log(int n, float[] x, int xOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            log(FloatVector.fromArray(S, x, xOff + i)).intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            log(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    /** {@code dx = dy * y * (1 - y)}, in the scalar twin's order of operations. */
    static void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i, m);
        }
    }

    /** {@code dx = dy * (1 - y^2)}; {@code 1 - y^2} by FMA, which avoids cancellation as |y| nears 1. */
    static void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(madd(t.neg(), t, 1f)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(madd(t.neg(), t, 1f)).intoArray(dx, dxOff + i, m);
        }
    }

    static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.blend(0f, t.compare(VectorOperators.GT, 0f).not()).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.blend(0f, t.compare(VectorOperators.GT, 0f).not()).intoArray(dx, dxOff + i, m);
        }
    }

    /** Row-wise softmax: {@code exp(x - max)} written to {@code out}, summed in float lanes, then scaled. */
    static void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float max = max(cols, x, in);
            // One accumulator suffices: its add chain is far shorter than the exp feeding it.
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector e = exp(FloatVector.fromArray(S, x, in + j).sub(max));
                e.intoArray(out, o + j);
                acc = acc.add(e);
            }
            if (j < cols) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector e = exp(FloatVector.fromArray(S, x, in + j, m).sub(max));
                e.intoArray(out, o + j, m);
                acc = acc.add(e, m);
            }
            float inv = 1f / acc.reduceLanes(VectorOperators.ADD);
            scale(cols, inv, out, o, out, o);
        }
    }

    /** Row-wise log-softmax: {@code (x - max) - log(sum(exp(x - max)))}, the sum widened to double. */
    static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float max = max(cols, x, in);
            DoubleVector acc0 = DoubleVector.zero(D);
            DoubleVector acc1 = DoubleVector.zero(D);
            int j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector e = exp(FloatVector.fromArray(S, x, in + j).sub(max));
                acc0 = acc0.add(widen(e, 0));
                acc1 = acc1.add(widen(e, 1));
            }
            if (j < cols) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector e = exp(FloatVector.fromArray(S, x, in + j, m).sub(max)).blend(0f, m.not());
                acc0 = acc0.add(widen(e, 0));
                acc1 = acc1.add(widen(e, 1));
            }
            double total = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            // (x - max) - log(total), as in the scalar twin: x - (max + log(total)) loses log(total) for large max.
            float logTotal = (float) Math.log(total);
            j = 0;
            for (int bound = S.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(S, x, in + j).sub(max).sub(logTotal).intoArray(out, o + j);
            }
            if (j < cols) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector.fromArray(S, x, in + j, m).sub(max).sub(logTotal).intoArray(out, o + j, m);
            }
        }
    }

    // ---- reductions -----------------------------------------------------------------------------

    static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n & -(4 * L); i < bound; i += 4 * L) {
            a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
            a1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), a1);
            a2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), a2);
            a3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), a3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), a0);
        }
        if (i < n) {
            // Masked-off lanes load as 0 and add nothing.
            VectorMask<Float> m = S.indexInRange(i, n);
            a1 = FloatVector.fromArray(S, x, xOff + i, m).fma(FloatVector.fromArray(S, y, yOff + i, m), a1);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    static float sum(int n, float[] x, int xOff) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (int bound = n & -(4 * L); i < bound; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
            a1 = a1.add(FloatVector.fromArray(S, x, xOff + i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.add(FloatVector.fromArray(S, x, xOff + i));
        }
        if (i < n) {
            a1 = a1.add(FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n)));
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    /** Largest element, NaN if any is NaN (lanewise MAX follows {@link Math#max}); {@code -Inf} when {@code n == 0}. */
    static float max(int n, float[] x, int xOff) {
        FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n & -(4 * L); i < bound; i += 4 * L) {
            a0 = a0.max(FloatVector.fromArray(S, x, xOff + i));
            a1 = a1.max(FloatVector.fromArray(S, x, xOff + i + L));
            a2 = a2.max(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            a3 = a3.max(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.max(FloatVector.fromArray(S, x, xOff + i));
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            a1 = a1.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xOff + i, m), m);
        }
        return a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    }

    /** Sum of squares with every lane widened to double, where the square is exact, and accumulated there. */
    static double sumOfSquares(int n, float[] x, int xOff) {
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = DoubleVector.zero(D);
        DoubleVector a2 = DoubleVector.zero(D);
        DoubleVector a3 = DoubleVector.zero(D);
        int i = 0;
        for (int bound = n & -(2 * L); i < bound; i += 2 * L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector w = FloatVector.fromArray(S, x, xOff + i + L);
            DoubleVector v0 = widen(v, 0);
            DoubleVector v1 = widen(v, 1);
            DoubleVector w0 = widen(w, 0);
            DoubleVector w1 = widen(w, 1);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = w0.fma(w0, a2);
            a3 = w1.fma(w1, a3);
        }
        if (i < n) {
            // At most 2 * L - 1 elements left: masked-off lanes load as 0.
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n));
            FloatVector w = FloatVector.fromArray(S, x, xOff + i + L, S.indexInRange(i + L, n));
            DoubleVector v0 = widen(v, 0);
            DoubleVector v1 = widen(v, 1);
            DoubleVector w0 = widen(w, 0);
            DoubleVector w1 = widen(w, 1);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = w0.fma(w0, a2);
            a3 = w1.fma(w1, a3);
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    // ---- one vector at a time -------------------------------------------------------------------

    /** Half {@code part} (0 or 1) of the lanes of {@code v}, as doubles. */
    private static DoubleVector widen(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
    }

    private static FloatVector exp(FloatVector x) {
        // NaN fails both comparisons and flows through as NaN.
        FloatVector c = x.blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI))
                .blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO));
        FloatVector t = c.fma(LOG2E, ROUNDER);
        FloatVector k = t.sub(ROUNDER);
        FloatVector r = madd(k, -LN2_LO, madd(k, -LN2_HI, c));
        FloatVector p = r.fma(E6, E5);
        p = madd(p, r, E4);
        p = madd(p, r, E3);
        p = madd(p, r, E2);
        p = madd(p, r, 1f);
        p = madd(p, r, 1f);
        // 2^k as 2^(k/2) * 2^(k - k/2): each factor stays a normal float for k in [-150, 128].
        IntVector ki = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = ki.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * {@code exp(c)} for {@code c} in {@code [NARROW_LO, EXP_HI]} or NaN: cheaper than {@link #exp(FloatVector)}
     * because {@code -126 <= k <= 128} lets {@code 2^k} be one float ({@code +Inf} for 128, where
     * the result overflows anyway). For callers that need 1/exp or saturate.
     */
    private static FloatVector expNarrow(FloatVector c) {
        FloatVector t = c.fma(LOG2E, ROUNDER);
        FloatVector k = t.sub(ROUNDER);
        FloatVector r = madd(k, -LN2_LO, madd(k, -LN2_HI, c));
        FloatVector p = r.fma(E6, E5);
        p = madd(p, r, E4);
        p = madd(p, r, E3);
        p = madd(p, r, E2);
        p = madd(p, r, 1f);
        p = madd(p, r, 1f);
        // Multiplying by 2^k, rather than adding k into the exponent bits of p, keeps NaN a NaN.
        FloatVector scale = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(scale);
    }

    private static FloatVector sigmoid(FloatVector x) {
        // exp(-x) = +Inf for x below -88.7 gives exactly 0; exp(-x) <= 2^-125 for large x gives exactly 1.
        FloatVector z = x.neg();
        z = z.blend(EXP_HI, z.compare(VectorOperators.GT, EXP_HI))
                .blend(NARROW_LO, z.compare(VectorOperators.LT, NARROW_LO));
        return FloatVector.broadcast(S, 1f).div(expNarrow(z).add(1f));
    }

    private static FloatVector tanh(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector a = bits.and(ABS_BITS).reinterpretAsFloats();
        FloatVector a2 = a.mul(a);
        FloatVector q = a2.fma(T4, T3);
        q = madd(q, a2, T2);
        q = madd(q, a2, T1);
        q = madd(q, a2, T0);
        FloatVector small = q.fma(a2.mul(a), a);
        // 1 - 2/(e^2a + 1): exactly 1 once 2/(e^2a + 1) drops below half an ulp of 1, also for a = +Inf.
        FloatVector a2x = a.add(a);
        FloatVector e = expNarrow(a2x.blend(EXP_HI, a2x.compare(VectorOperators.GT, EXP_HI)));
        FloatVector large = FloatVector.broadcast(S, -2f).div(e.add(1f)).add(1f);
        FloatVector r = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
        return r.reinterpretAsInts().or(bits.and(SIGN_BIT)).reinterpretAsFloats();
    }

    private static FloatVector relu(FloatVector x) {
        // x <= 0 is false for NaN, which therefore stays; -0.0 becomes 0.0 as in the scalar twin.
        return x.blend(0f, x.compare(VectorOperators.LE, 0f));
    }

    private static FloatVector log(FloatVector x) {
        // Scale subnormals (and 0, negatives: overwritten below) into the normal range first.
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_POW_23), tiny);
        IntVector b = xs.reinterpretAsInts().sub(SQRT_HALF_BITS);
        FloatVector e = ((FloatVector) b.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0))
                .sub(FloatVector.zero(S).blend(23f, tiny));
        FloatVector m = b.and(MANTISSA_BITS).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        // log(m) = 2s + 2s^3/3 + 2s^5/5 + 2s^7/7 + 2s^9/9, |s| <= 0.1716 so the rest is below 2e-9 relative.
        FloatVector series = z.fma(2f / 9f, 2f / 7f);
        series = madd(series, z, 2f / 5f);
        series = madd(series, z, 2f / 3f).mul(z);
        FloatVector logm = s.fma(series, s.add(s));
        FloatVector r = madd(e, LN2_HI, madd(e, LN2_LO, logm));
        r = r.blend(x, x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY).not()); // NaN, +Inf
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        return r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
    }

    /** {@code a * b + c}, fused. */
    private static FloatVector madd(FloatVector a, FloatVector b, float c) {
        return a.fma(b, FloatVector.broadcast(S, c));
    }

    /** {@code a * b + c}, fused. */
    private static FloatVector madd(FloatVector a, float b, FloatVector c) {
        return a.fma(FloatVector.broadcast(S, b), c);
    }
}
