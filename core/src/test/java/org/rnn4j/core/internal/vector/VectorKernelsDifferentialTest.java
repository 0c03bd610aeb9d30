package org.rnn4j.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.kernel.Kernels;

/**
 * Every element-wise, activation and reduction method of {@code Kernels.vector(1)} against
 * {@code Kernels.scalar()} on seeded random data, at sizes around the lane count, at non-zero
 * offsets, with NaN padding around every range: a kernel that reads outside its range produces NaN,
 * one that writes outside it overwrites the padding, and both fail here.
 *
 * <p>Tolerances: operations the two compute identically must match bit for bit; FMA variants
 * differ by one rounding (about 2^-24 relative to the largest term); activations differ by the
 * documented error of {@link VectorMath} plus the half-ulp rounding of the scalar twin;
 * reductions use the classic bound n * 2^-24 * sum |terms| for the scalar's sequential order,
 * while sums of integers, exact in float in any order, must match exactly.
 */
class VectorKernelsDifferentialTest {

    static final Kernels V = Kernels.vector(1);
    static final Kernels S = Kernels.scalar();
    static final double U = 0x1p-24;
    static final int PAD = 37;

    static IntStream sizes() {
        return IntStream.of(0, 1, 3, 7, 13, 16, 17, 31, 33, 100, 257, 1000);
    }

    /** NaN-padded array holding {@code n} uniform values in [lo, hi) at offset {@link #PAD}. */
    static float[] padded(SplittableRandom random, int n, double lo, double hi) {
        float[] a = new float[n + 2 * PAD];
        Arrays.fill(a, Float.NaN);
        for (int i = 0; i < n; i++) {
            a[PAD + i] = (float) random.nextDouble(lo, hi);
        }
        return a;
    }

    static float[] nanPad(int n) {
        float[] a = new float[n + 2 * PAD];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    static void assertPaddingIntact(float[] a, int n) {
        for (int i = 0; i < PAD; i++) {
            assertTrue(Float.isNaN(a[i]) && Float.isNaN(a[PAD + n + i]), "written outside the range at " + i);
        }
    }

    interface Unary {
        void apply(Kernels k, int n, float[] x, int xOff, float[] out, int outOff);
    }

    interface Binary {
        void apply(Kernels k, int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);
    }

    interface Tolerance {
        double of(float want);
    }

    /** Runs {@code op} out of place and in place on both kernels and compares within {@code tol}. */
    static void checkUnary(String name, Unary op, int n, float[] x, Tolerance tol) {
        float[] want = nanPad(n);
        float[] got = nanPad(n);
        op.apply(S, n, x, PAD, want, PAD);
        op.apply(V, n, x, PAD, got, PAD);
        assertPaddingIntact(got, n);
        for (int i = 0; i < n; i++) {
            float w = want[PAD + i];
            float g = got[PAD + i];
            assertTrue(Math.abs(g - w) <= tol.of(w) || Float.compare(g, w) == 0,
                    name + "(" + x[PAD + i] + ") n=" + n + " i=" + i + ": vector " + g + ", scalar " + w);
        }
        float[] inPlace = x.clone();
        op.apply(V, n, inPlace, PAD, inPlace, PAD);
        assertArrayEquals(got, inPlace, name + " in place");
    }

    static void checkBinary(String name, Binary op, int n, float[] a, float[] b, Tolerance tol) {
        float[] want = nanPad(n);
        float[] got = nanPad(n);
        op.apply(S, n, a, PAD, b, PAD, want, PAD);
        op.apply(V, n, a, PAD, b, PAD, got, PAD);
        assertPaddingIntact(got, n);
        for (int i = 0; i < n; i++) {
            float w = want[PAD + i];
            float g = got[PAD + i];
            assertTrue(Math.abs(g - w) <= tol.of(w) || Float.compare(g, w) == 0,
                    name + " n=" + n + " i=" + i + ": vector " + g + ", scalar " + w);
        }
        float[] aliasA = a.clone();
        op.apply(V, n, aliasA, PAD, b, PAD, aliasA, PAD);
        assertArrayEquals(got, aliasA, name + " in place of the first operand");
        float[] aliasB = b.clone();
        op.apply(V, n, a, PAD, aliasB, PAD, aliasB, PAD);
        assertArrayEquals(got, aliasB, name + " in place of the second operand");
    }

    static final Tolerance EXACT = w -> 0;

    @ParameterizedTest
    @MethodSource("sizes")
    void elementWiseArithmetic(int n) {
        SplittableRandom r = new SplittableRandom(1000 + n);
        float[] a = padded(r, n, -3, 3);
        float[] b = padded(r, n, -3, 3);
        checkBinary("add", Kernels::add, n, a, b, EXACT);
        checkBinary("mul", Kernels::mul, n, a, b, EXACT);
        checkUnary("scale", (k, m, x, xo, o, oo) -> k.scale(m, -1.7f, x, xo, o, oo), n, a, EXACT);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void axpyDiffersByOneRounding(int n) {
        SplittableRandom r = new SplittableRandom(2000 + n);
        float[] x = padded(r, n, -3, 3);
        float[] y = padded(r, n, -3, 3);
        float alpha = 0.37f;
        float[] want = y.clone();
        float[] got = y.clone();
        S.axpy(n, alpha, x, PAD, want, PAD);
        V.axpy(n, alpha, x, PAD, got, PAD);
        assertPaddingIntact(got, n);
        for (int i = PAD; i < PAD + n; i++) {
            double bound = 2 * U * (Math.abs(y[i]) + Math.abs(alpha * x[i]));
            assertEquals(want[i], got[i], bound, "axpy at " + (i - PAD));
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void activations(int n) {
        SplittableRandom r = new SplittableRandom(3000 + n);
        float[] x = padded(r, n, -12, 12);
        // Documented error of VectorMath plus the scalar twin's final rounding to float.
        checkUnary("sigmoid", Kernels::sigmoid, n, x, w -> VectorMathAccuracyTest.SIGMOID_ABS + U);
        checkUnary("tanh", Kernels::tanh, n, x, w -> VectorMathAccuracyTest.TANH_ABS + U);
        checkUnary("relu", Kernels::relu, n, x, EXACT);
        checkUnary("exp", Kernels::exp, n, x, w -> (VectorMathAccuracyTest.EXP_REL + U) * Math.abs(w));
        float[] positive = padded(r, n, 1e-6, 50);
        checkUnary("log", Kernels::log, n, positive, w -> (VectorMathAccuracyTest.LOG_REL + U) * Math.abs(w));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void derivatives(int n) {
        SplittableRandom r = new SplittableRandom(4000 + n);
        float[] sig = padded(r, n, 0, 1);
        float[] th = padded(r, n, -1, 1);
        float[] rl = padded(r, n, -2, 2);
        float[] dy = padded(r, n, -5, 5);
        for (int i = PAD; i < PAD + n; i += 3) {
            rl[i] = i % 2 == 0 ? 0f : -0f; // relu outputs are often exactly zero
        }
        checkBinary("sigmoidBackward", Kernels::sigmoidBackward, n, sig, dy, EXACT);
        checkBinary("reluBackward", Kernels::reluBackward, n, rl, dy, EXACT);
        // The vector twin forms 1 - y^2 with one rounding instead of two.
        float[] want = nanPad(n);
        float[] got = nanPad(n);
        S.tanhBackward(n, th, PAD, dy, PAD, want, PAD);
        V.tanhBackward(n, th, PAD, dy, PAD, got, PAD);
        assertPaddingIntact(got, n);
        for (int i = PAD; i < PAD + n; i++) {
            assertEquals(want[i], got[i], 3 * U * Math.abs(dy[i]), "tanhBackward at " + (i - PAD));
        }
        float[] alias = dy.clone();
        V.tanhBackward(n, th, PAD, alias, PAD, alias, PAD);
        assertArrayEquals(got, alias, "tanhBackward in place of dy");
    }

    /**
     * The scalar derivatives, given the scalar activations' outputs, against the derivatives
     * written out in double from the inputs: {@code sigmoid'(x) = e^-|x| / (1 + e^-|x|)^2},
     * {@code tanh'(x) = 1 / cosh(x)^2}, {@code relu'(x) = 1} for {@code x > 0}, else 0 (at 0 too).
     * The float output carries half an ulp, and the backward three roundings: a few 2^-24 of dy.
     */
    @ParameterizedTest
    @MethodSource("sizes")
    void scalarDerivativesMatchTheAnalyticDerivativesInDouble(int n) {
        SplittableRandom r = new SplittableRandom(4500 + n);
        float[] x = padded(r, n, -6, 6);
        float[] dy = padded(r, n, -5, 5);
        for (int i = PAD; i < PAD + n; i += 5) {
            x[i] = i % 2 == 0 ? 0f : -0f; // relu's kink
        }
        float[] y = nanPad(n);
        float[] dx = nanPad(n);
        S.sigmoid(n, x, PAD, y, PAD);
        S.sigmoidBackward(n, y, PAD, dy, PAD, dx, PAD);
        assertPaddingIntact(dx, n);
        for (int i = PAD; i < PAD + n; i++) {
            double e = Math.exp(-Math.abs(x[i]));
            double want = dy[i] * e / ((1 + e) * (1 + e));
            assertEquals(want, dx[i], 8 * U * Math.abs(dy[i]), "sigmoidBackward at " + (i - PAD) + ", x " + x[i]);
        }
        S.tanh(n, x, PAD, y, PAD);
        S.tanhBackward(n, y, PAD, dy, PAD, dx, PAD);
        for (int i = PAD; i < PAD + n; i++) {
            double cosh = Math.cosh(x[i]);
            double want = dy[i] / (cosh * cosh);
            assertEquals(want, dx[i], 8 * U * Math.abs(dy[i]), "tanhBackward at " + (i - PAD) + ", x " + x[i]);
        }
        S.relu(n, x, PAD, y, PAD);
        S.reluBackward(n, y, PAD, dy, PAD, dx, PAD);
        for (int i = PAD; i < PAD + n; i++) {
            assertEquals(x[i] > 0 ? dy[i] : 0f, dx[i], "reluBackward at " + (i - PAD) + ", x " + x[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reductions(int n) {
        SplittableRandom r = new SplittableRandom(5000 + n);
        float[] x = padded(r, n, -4, 4);
        float[] y = padded(r, n, -4, 4);
        double absSum = 0;
        double absDot = 0;
        for (int i = PAD; i < PAD + n; i++) {
            absSum += Math.abs(x[i]);
            absDot += Math.abs(x[i] * y[i]);
        }
        // Both orders are within n u sum|terms| of the exact value.
        assertEquals(S.sum(n, x, PAD), V.sum(n, x, PAD), 2 * n * U * absSum, "sum");
        assertEquals(S.dot(n, x, PAD, y, PAD), V.dot(n, x, PAD, y, PAD), 2 * n * U * absDot, "dot");
        assertEquals(S.sumOfSquares(n, x, PAD), V.sumOfSquares(n, x, PAD),
                n * 0x1p-52 * S.sumOfSquares(n, x, PAD), "sumOfSquares");
        assertEquals(S.max(n, x, PAD), V.max(n, x, PAD), "max");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reductionsOfIntegersAreExact(int n) {
        // Small integers sum exactly in any order, so any lost or doubled element shows.
        SplittableRandom r = new SplittableRandom(6000 + n);
        float[] x = nanPad(n);
        float[] y = nanPad(n);
        for (int i = PAD; i < PAD + n; i++) {
            x[i] = r.nextInt(-50, 51);
            y[i] = r.nextInt(-50, 51);
        }
        assertEquals(S.sum(n, x, PAD), V.sum(n, x, PAD), "sum");
        assertEquals(S.dot(n, x, PAD, y, PAD), V.dot(n, x, PAD, y, PAD), "dot");
        assertEquals(S.sumOfSquares(n, x, PAD), V.sumOfSquares(n, x, PAD), "sumOfSquares");
        assertEquals(S.norm2(n, x, PAD), V.norm2(n, x, PAD), "norm2");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void maxFindsTheLargestAndNaNAtEveryPosition(int n) {
        if (n == 0) {
            return; // max needs n >= 1
        }
        float[] x = nanPad(n);
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < n; i++) {
                x[PAD + i] = -1000f + i % 7;
            }
            x[PAD + p] = 5f;
            assertEquals(5f, V.max(n, x, PAD), "largest at " + p);
            x[PAD + p] = Float.NaN;
            assertTrue(Float.isNaN(V.max(n, x, PAD)), "NaN at " + p);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void firstNonFiniteFindsEachSpecialValueAtEveryPosition(int n) {
        SplittableRandom random = new SplittableRandom(n + 11);
        // Finite extremes around the special values: the largest float, subnormals and signed zeros.
        float[] finite = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f, 1e-40f, -3.5f};
        float[] x = nanPad(n);
        for (int i = 0; i < n; i++) {
            x[PAD + i] = i % 3 == 0 ? finite[i % finite.length] : (float) random.nextDouble(-1e30, 1e30);
        }
        assertEquals(-1, V.firstNonFinite(n, x, PAD), "all finite, NaN padding outside the range");
        assertEquals(-1, S.firstNonFinite(n, x, PAD));
        for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0xffc0_0001)}) {
            for (int p = 0; p < n; p++) {
                float kept = x[PAD + p];
                x[PAD + p] = special;
                assertEquals(p, V.firstNonFinite(n, x, PAD), special + " at " + p);
                assertEquals(p, S.firstNonFinite(n, x, PAD), special + " at " + p);
                if (p + 1 < n) {
                    float last = x[PAD + n - 1];
                    x[PAD + n - 1] = Float.NaN;
                    assertEquals(p, V.firstNonFinite(n, x, PAD), "the first of two, at " + p);
                    x[PAD + n - 1] = last;
                }
                x[PAD + p] = kept;
            }
        }
    }

    @Test
    void firstNonFiniteSpansBlocks() {
        int n = 5000;
        float[] x = new float[n + 3];
        Arrays.fill(x, 1f);
        assertEquals(-1, V.firstNonFinite(n, x, 3));
        for (int p : new int[] {0, 1023, 1024, 2047, 4999}) {
            x[3 + p] = Float.NEGATIVE_INFINITY;
            assertEquals(p, V.firstNonFinite(n, x, 3), "infinity at " + p);
            x[3 + p] = 1f;
        }
    }

    static int[][] shapes() {
        return new int[][] {{0, 5}, {3, 0}, {1, 1}, {1, 7}, {7, 13}, {3, 16}, {3, 17}, {5, 33}, {2, 100}, {4, 257},
            {2, 1000}, {17, 3}};
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void softmaxRows(int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        int n = rows * cols;
        SplittableRandom r = new SplittableRandom(7000 + n);
        float[] x = padded(r, n, -20, 20);
        float[] want = nanPad(n);
        float[] got = nanPad(n);
        S.softmax(rows, cols, x, PAD, want, PAD);
        V.softmax(rows, cols, x, PAD, got, PAD);
        assertPaddingIntact(got, n);
        // exp error of both, plus the rounding of a float sum of cols terms in the scalar order.
        double rel = VectorMathAccuracyTest.EXP_REL + 2 * U + 2 * cols * U;
        for (int i = PAD; i < PAD + n; i++) {
            assertEquals(want[i], got[i], rel * want[i], "softmax at " + (i - PAD));
        }
        for (int row = 0; row < rows && cols > 0; row++) {
            double total = 0;
            for (int j = 0; j < cols; j++) {
                total += got[PAD + row * cols + j];
            }
            assertEquals(1.0, total, 2 * cols * U + 1e-6, "row " + row + " sums to 1");
        }
        float[] alias = x.clone();
        V.softmax(rows, cols, alias, PAD, alias, PAD);
        assertArrayEquals(got, alias, "softmax in place");

        S.logSoftmax(rows, cols, x, PAD, want, PAD);
        V.logSoftmax(rows, cols, x, PAD, got, PAD);
        assertPaddingIntact(got, n);
        for (int i = PAD; i < PAD + n; i++) {
            // log(total) differs by the exp error (both sums are in double); then two float subtractions each.
            double tol = 2 * VectorMathAccuracyTest.EXP_REL + 4 * U * (Math.abs(x[i]) + Math.abs(want[i]));
            assertEquals(want[i], got[i], tol, "logSoftmax at " + (i - PAD));
        }
        alias = x.clone();
        V.logSoftmax(rows, cols, alias, PAD, alias, PAD);
        assertArrayEquals(got, alias, "logSoftmax in place");
    }

    @Test
    void specialValuesThroughActivations() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {nan, inf, -inf, -0f, 0f, 1e30f, -1e30f, 100f, -100f, 1e-30f, -1e-30f};
        int n = x.length;
        float[] out = new float[n];

        V.tanh(n, x, 0, out, 0);
        assertArrayEquals(new float[] {nan, 1f, -1f, -0f, 0f, 1f, -1f, 1f, -1f, 1e-30f, -1e-30f}, out, "tanh");

        V.sigmoid(n, x, 0, out, 0);
        assertTrue(Float.isNaN(out[0]), "sigmoid(NaN)");
        assertEquals(1f, out[1], "sigmoid(+Inf)");
        assertEquals(0f, out[2], "sigmoid(-Inf)");
        assertEquals(0.5f, out[3], "sigmoid(-0)");
        assertEquals(1f, out[5], "sigmoid(1e30)");
        assertEquals(0f, out[6], "sigmoid(-1e30)");
        assertEquals(1f, out[7], "sigmoid(100)");
        assertTrue(out[8] >= 0f && out[8] < 1e-40f, "sigmoid(-100) is tiny and non-negative: " + out[8]);

        V.relu(n, x, 0, out, 0);
        assertArrayEquals(new float[] {nan, inf, 0f, 0f, 0f, 1e30f, 0f, 100f, 0f, 1e-30f, 0f}, out, "relu");

        V.exp(n, x, 0, out, 0);
        // exp(-100) = 3.7e-44 is a subnormal float.
        float expOfMinus100 = (float) Math.exp(-100);
        assertArrayEquals(new float[] {nan, inf, 0f, 1f, 1f, inf, 0f, inf, expOfMinus100, 1f, 1f}, out, "exp");

        V.log(n, x, 0, out, 0);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[2]) && Float.isNaN(out[6]) && Float.isNaN(out[10]),
                "log of NaN and negatives");
        assertEquals(inf, out[1], "log(+Inf)");
        assertEquals(-inf, out[3], "log(-0)");
        assertEquals(-inf, out[4], "log(0)");
        assertEquals(Math.log(1e30f), out[5], 1e-5, "log(1e30)");
        assertEquals(Math.log(1e-30f), out[9], 1e-5, "log(1e-30)");
    }

    @Test
    void softmaxOfHugeInputsStaysFiniteAndSumsToOne() {
        float[] x = {1e30f, 1e30f, -1e30f, 0f, 3.4e38f, -3.4e38f, 1e30f, 1f, 1e30f, -Float.POSITIVE_INFINITY,
            5f, 5f};
        int rows = 3;
        int cols = 4;
        float[] out = new float[x.length];
        V.softmax(rows, cols, x, 0, out, 0);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 0f, 1f, 0f, 0f, 0f}, Arrays.copyOf(out, 8), "rows 0-1");
        for (int row = 0; row < rows; row++) {
            float total = 0;
            for (int j = 0; j < cols; j++) {
                assertTrue(Float.isFinite(out[row * cols + j]), "finite at " + row + "," + j);
                total += out[row * cols + j];
            }
            assertEquals(1f, total, 1e-6f, "row " + row);
        }
        assertEquals(0f, out[9], "exp(-Inf - max) is 0");

        V.logSoftmax(rows, cols, x, 0, out, 0);
        assertEquals((float) -Math.log(2), out[0], 1e-6f, "two equal maxima");
        assertEquals(0f, out[4], "the single huge element");
        assertEquals(Float.NEGATIVE_INFINITY, out[9], "log of a zero probability");
        assertTrue(Float.isFinite(out[10]) && Float.isFinite(out[11]));
    }

    @Test
    void nanPropagatesThroughSoftmaxAndReductions() {
        float[] x = {1f, Float.NaN, 2f, 3f};
        float[] out = new float[4];
        V.softmax(1, 4, x, 0, out, 0);
        for (float v : out) {
            assertTrue(Float.isNaN(v), "softmax row with NaN");
        }
        assertTrue(Float.isNaN(V.sum(4, x, 0)), "sum");
        assertTrue(Float.isNaN(V.max(4, x, 0)), "max");
        assertTrue(Double.isNaN(V.sumOfSquares(4, x, 0)), "sumOfSquares");
    }
}
