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
 * <p>Every element-wise loop runs vectors of {@link VectorKernels#SPECIES} whose last one is masked
 * (one copy of the code per kernel), so any {@code n >= 0} and any lane count work. Outputs may
 * alias inputs exactly. Reductions use several independent accumulators, so their summation order
 * (and rounding) differs from the sequential scalar twin; {@code sumOfSquares} and the softmax and
 * log-softmax normalisers widen every lane to double before accumulating. The code of {@code exp},
 * {@code sigmoid} and {@code tanh} is in {@link VectorFunctions}, whose comment says how it is kept
 * compiled at small sizes.
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
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());

    // firstNonFinite: the exponent field of a float, and its lowest bit.
    private static final int EXPONENT = 0x7f80_0000;
    private static final int EXPONENT_LSB = 0x0080_0000;
    private static final int FINITE_BLOCK = 1024;

    // log: m in [sqrt(1/2), sqrt(2)) from the bits of x minus those of sqrt(1/2).
    private static final int SQRT_HALF_BITS = 0x3f35_04f3;
    private static final int MANTISSA_BITS = 0x007f_ffff;
    private static final float TWO_POW_23 = 8388608f;

    private VectorMath() {
    }

    // ---- element-wise arithmetic ----------------------------------------------------------------
    // Each kernel is one loop whose last step is masked, so its vector code exists once: a second,
    // tail copy doubles the compiled size and with it the risk that C2 stops inlining.

    static void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector va = FloatVector.fromArray(S, a, aOff + i, m);
            va.add(FloatVector.fromArray(S, b, bOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector va = FloatVector.fromArray(S, a, aOff + i, m);
            va.mul(FloatVector.fromArray(S, b, bOff + i, m)).intoArray(out, outOff + i, m);
        }
    }

    static void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).mul(alpha).intoArray(out, outOff + i, m);
        }
    }

    /** {@code y += alpha * x} with one rounding per element (FMA), so it may differ from the scalar twin by an ulp. */
    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector vx = FloatVector.fromArray(S, x, xOff + i, m);
            vx.lanewise(VectorOperators.FMA, alpha, FloatVector.fromArray(S, y, yOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    // ---- activations ----------------------------------------------------------------------------

    static void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorFunctions.sigmoidOrTanh(false, n, x, xOff, out, outOff);
    }

    static void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorFunctions.sigmoidOrTanh(true, n, x, xOff, out, outOff);
    }

    static void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, m);
            // v <= 0 is false for NaN, which therefore stays; -0.0 becomes 0.0 as in the scalar twin.
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(out, outOff + i, m);
        }
    }

    static void exp(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorFunctions.exp(n, x, xOff, 0f, out, outOff, false);
    }

    static void log(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, m);
            // Scale subnormals (and 0, negatives: overwritten below) into the normal range first.
            VectorMask<Float> tiny = v.compare(VectorOperators.LT, Float.MIN_NORMAL);
            FloatVector vs = v.blend(v.mul(TWO_POW_23), tiny);
            IntVector b = vs.reinterpretAsInts().sub(SQRT_HALF_BITS);
            FloatVector e = ((FloatVector) b.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0))
                    .sub(FloatVector.zero(S).blend(23f, tiny));
            FloatVector f = b.and(MANTISSA_BITS).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector z = s.mul(s);
            // log(m) = 2s + 2s^3/3 + 2s^5/5 + 2s^7/7 + 2s^9/9, |s| <= 0.1716 so the rest is below 2e-9 relative.
            FloatVector series = z.fma(2f / 9f, 2f / 7f)
                    .lanewise(VectorOperators.FMA, z, 2f / 5f)
                    .lanewise(VectorOperators.FMA, z, 2f / 3f).mul(z);
            FloatVector logm = s.fma(series, s.add(s));
            FloatVector r = e.lanewise(VectorOperators.FMA, VectorFunctions.LN2_HI,
                    e.lanewise(VectorOperators.FMA, VectorFunctions.LN2_LO, logm));
            r = r.blend(v, v.compare(VectorOperators.LT, Float.POSITIVE_INFINITY).not()); // NaN, +Inf
            r = r.blend(Float.NaN, v.compare(VectorOperators.LT, 0f));
            r.blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f)).intoArray(out, outOff + i, m);
        }
    }

    /** {@code dx = dy * y * (1 - y)}, in the scalar twin's order of operations. */
    static void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(s).mul(s.neg().add(1f)).intoArray(dx, dxOff + i, m);
        }
    }

    /** {@code dx = dy * (1 - y^2)}; {@code 1 - y^2} by FMA, which avoids cancellation as |y| nears 1. */
    static void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.mul(t.neg().lanewise(VectorOperators.FMA, t, 1f)).intoArray(dx, dxOff + i, m);
        }
    }

    static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(S, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i, m);
            g.blend(0f, t.compare(VectorOperators.GT, 0f).not()).intoArray(dx, dxOff + i, m);
        }
    }

    /** Row-wise softmax: {@code exp(x - max)} written to {@code out}, summed in double, then scaled. */
    static void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float max = max(cols, x, in);
            double total = VectorFunctions.exp(cols, x, in, max, out, o, true);
            scale(cols, (float) (1 / total), out, o, out, o);
        }
    }

    /** Row-wise log-softmax: {@code (x - max) - log(sum(exp(x - max)))}, the sum in double. */
    static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float max = max(cols, x, in);
            double total = VectorFunctions.exp(cols, x, in, max, null, 0, true);
            // (x - max) - log(total), as in the scalar twin: x - (max + log(total)) loses log(total) for large max.
            float logTotal = (float) Math.log(total);
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> m = S.indexInRange(j, cols);
                FloatVector.fromArray(S, x, in + j, m).sub(max).sub(logTotal).intoArray(out, o + j, m);
            }
        }
    }

    // ---- reductions -----------------------------------------------------------------------------

    /**
     * The sum of {@code count} lane values from {@code lanes[offset]} on, added in lane order.
     * {@code reduceLanes(ADD)} may add in another order once the JIT compiles it than before, which
     * changed low bits between the first calls and later ones; callers store the vector
     * ({@code intoArray}) and add its lanes here, so results are the same call to call. (A vector
     * parameter would box when not inlined: see {@code VectorCodeShapeTest}.)
     */
    static float addInOrder(float[] lanes, int offset, int count) {
        float s = lanes[offset];
        for (int i = 1; i < count; i++) {
            s += lanes[offset + i];
        }
        return s;
    }

    /** {@link #addInOrder(float[], int, int)} for doubles. */
    static double addInOrder(double[] lanes) {
        double s = lanes[0];
        for (int i = 1; i < lanes.length; i++) {
            s += lanes[i];
        }
        return s;
    }

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
        float[] lanes = a0.add(a1).add(a2.add(a3)).toArray();
        return addInOrder(lanes, 0, lanes.length);
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
        float[] lanes = a0.add(a1).add(a2.add(a3)).toArray();
        return addInOrder(lanes, 0, lanes.length);
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

    /**
     * Scans blocks of {@value #FINITE_BLOCK} elements for an exponent field of all ones (NaN or
     * infinity): {@code (bits & EXPONENT) + 2^23} carries into the sign bit exactly then, so the OR
     * of it over a block is negative exactly when the block holds one, which a scalar pass then
     * locates. Integer operations only: 4-5x faster than a max of magnitudes, whose NaN rules cost
     * several instructions per vector.
     */
    static int firstNonFinite(int n, float[] x, int xOff) {
        for (int start = 0; start < n; start += FINITE_BLOCK) {
            int end = Math.min(n, start + FINITE_BLOCK);
            IntVector a0 = IntVector.zero(I);
            IntVector a1 = a0;
            int i = start;
            for (int bound = start + ((end - start) & -(2 * L)); i < bound; i += 2 * L) {
                a0 = a0.or(FloatVector.fromArray(S, x, xOff + i).reinterpretAsInts().and(EXPONENT).add(EXPONENT_LSB));
                a1 = a1.or(FloatVector.fromArray(S, x, xOff + i + L).reinterpretAsInts().and(EXPONENT).add(EXPONENT_LSB));
            }
            for (; i < end; i += L) {
                VectorMask<Float> m = S.indexInRange(i, end);
                // Masked-off lanes load as 0.0, which is finite.
                a0 = a0.or(FloatVector.fromArray(S, x, xOff + i, m).reinterpretAsInts().and(EXPONENT).add(EXPONENT_LSB));
            }
            if (a0.or(a1).reduceLanes(VectorOperators.OR) < 0) {
                for (int j = start; j < end; j++) {
                    if (!Float.isFinite(x[xOff + j])) {
                        return j;
                    }
                }
            }
        }
        return -1;
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
            DoubleVector v0 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector v1 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector w0 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector w1 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 1);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = w0.fma(w0, a2);
            a3 = w1.fma(w1, a3);
        }
        if (i < n) {
            // At most 2 * L - 1 elements left: masked-off lanes load as 0.
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, S.indexInRange(i, n));
            FloatVector w = FloatVector.fromArray(S, x, xOff + i + L, S.indexInRange(i + L, n));
            DoubleVector v0 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector v1 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector w0 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector w1 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 1);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = w0.fma(w0, a2);
            a3 = w1.fma(w1, a3);
        }
        return addInOrder(a0.add(a1).add(a2.add(a3)).toArray());
    }
}
