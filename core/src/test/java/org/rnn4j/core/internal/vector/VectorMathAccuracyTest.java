package org.rnn4j.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Measures the error of the hand-written transcendental functions against {@link Math} in double
 * precision over dense grids plus the float neighbours of the points where the algorithms switch,
 * and asserts the bounds documented on {@link VectorMath}.
 */
class VectorMathAccuracyTest {

    /** Bounds documented in the class comment of {@link VectorMath}. */
    static final double TANH_ABS = 1e-7;
    static final double TANH_SMALL_REL = 1.5e-7;
    static final double SIGMOID_ABS = 1.2e-7;
    static final double EXP_REL = 1.2e-7;
    static final double LOG_REL = 2e-7;
    static final float TANH_SATURATION = 9.1f;

    /** {@code count} evenly spaced points on [lo, hi], then {@code radius} float neighbours each side of a centre. */
    static float[] grid(float lo, float hi, int count, int radius, float... centres) {
        float[] xs = new float[count + centres.length * (2 * radius + 1)];
        for (int i = 0; i < count; i++) {
            xs[i] = (float) (lo + (hi - lo) * (double) i / (count - 1));
        }
        int k = count;
        for (float c : centres) {
            float down = c;
            float up = c;
            xs[k++] = c;
            for (int j = 0; j < radius; j++) {
                down = Math.nextDown(down);
                up = Math.nextUp(up);
                xs[k++] = down;
                xs[k++] = up;
            }
        }
        return xs;
    }

    interface Kernel {
        void apply(int n, float[] x, int xOff, float[] out, int outOff);
    }

    /** Largest |f(x) - exact(x)| / max(|exact(x)|, floor) over xs. */
    static double maxError(Kernel f, DoubleUnaryOperator exact, float[] xs, double floor) {
        float[] out = new float[xs.length];
        f.apply(xs.length, xs, 0, out, 0);
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            double want = exact.applyAsDouble(xs[i]);
            double err = Math.abs(out[i] - want) / Math.max(Math.abs(want), floor);
            if (!(err <= worst)) { // also catches NaN
                worst = err;
                if (Double.isNaN(err)) {
                    throw new AssertionError("NaN error at x = " + xs[i] + ": got " + out[i] + ", want " + want);
                }
            }
        }
        return worst;
    }

    static float[] filter(float[] xs, DoublePredicate keep) {
        float[] kept = new float[xs.length];
        int k = 0;
        for (float x : xs) {
            if (keep.test(x)) {
                kept[k++] = x;
            }
        }
        return Arrays.copyOf(kept, k);
    }

    static double sigmoidExact(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Test
    void tanhAbsoluteErrorOnDenseGrid() {
        float[] xs = grid(-30f, 30f, 6_000_001, 2000,
                0f, 1f, -1f, 0.625f, -0.625f, 9f, -9f, 9.1f, -9.1f, 44f, -44f, 0.3466f, 2f, -2f);
        double err = maxError(VectorMath::tanh, Math::tanh, xs, 1.0);
        System.out.printf("tanh: max abs error %.3g over %d points%n", err, xs.length);
        assertTrue(err <= TANH_ABS, "tanh max abs error " + err);
    }

    @Test
    void tanhRelativeErrorNearZero() {
        float[] xs = grid(-0.625f, 0.625f, 1_000_001, 5000, 0f, 1e-3f, -1e-3f, 1e-20f, Float.MIN_NORMAL);
        double err = maxError(VectorMath::tanh, Math::tanh, xs, Float.MIN_VALUE);
        System.out.printf("tanh: max rel error %.3g on [-0.625, 0.625]%n", err);
        assertTrue(err <= TANH_SMALL_REL, "tanh max rel error near 0: " + err);
    }

    @Test
    void tanhSaturatesToExactlyOneFromTheDocumentedThreshold() {
        float[] xs = grid(TANH_SATURATION, 100f, 1_000_001, 1000, TANH_SATURATION, 44f, 88f);
        float[] big = {1e10f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        xs = Arrays.copyOf(xs, xs.length + big.length);
        System.arraycopy(big, 0, xs, xs.length - big.length, big.length);
        xs = filter(xs, x -> x >= TANH_SATURATION);
        float[] negated = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            negated[i] = -xs[i];
        }
        float[] out = new float[xs.length];
        VectorMath.tanh(xs.length, xs, 0, out, 0);
        float[] outNeg = new float[xs.length];
        VectorMath.tanh(xs.length, negated, 0, outNeg, 0);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(1f, out[i], "tanh(" + xs[i] + ")");
            assertEquals(-1f, outNeg[i], "tanh(" + negated[i] + ")");
        }
    }

    @Test
    void sigmoidAbsoluteErrorOnDenseGrid() {
        float[] xs = grid(-30f, 30f, 6_000_001, 2000, 0f, 1f, -1f, 17f, -17f, 88.7f, -88.7f, 104f, -104f);
        double err = maxError(VectorMath::sigmoid, VectorMathAccuracyTest::sigmoidExact, xs, 1.0);
        System.out.printf("sigmoid: max abs error %.3g over %d points%n", err, xs.length);
        assertTrue(err <= SIGMOID_ABS, "sigmoid max abs error " + err);
    }

    @Test
    void expRelativeErrorInNormalRange() {
        float[] all = grid(-87.4f, 88.8f, 4_000_001, 2000, 0f, 0.3465736f, -0.3465736f, 1f, -1f, 88.7228f, -87.3365f);
        // Only inputs whose exact result is a normal float: outside, the result rounds to Inf or a subnormal.
        float[] xs = filter(all, x -> {
            double e = Math.exp(x);
            return e >= Float.MIN_NORMAL && e <= Float.MAX_VALUE;
        });
        assertTrue(xs.length > 4_000_000);
        double err = maxError(VectorMath::exp, Math::exp, xs, 0.0);
        System.out.printf("exp: max rel error %.3g over [-87.33, 88.72]%n", err);
        assertTrue(err <= EXP_REL, "exp max rel error " + err);
    }

    @Test
    void expSubnormalResultsAreGradual() {
        float[] xs = grid(-103.97f, -87.34f, 200_001, 0);
        float[] out = new float[xs.length];
        VectorMath.exp(xs.length, xs, 0, out, 0);
        for (int i = 0; i < xs.length; i++) {
            double want = Math.exp(xs[i]);
            double tol = Float.MIN_VALUE + EXP_REL * want;
            assertTrue(Math.abs(out[i] - want) <= tol, "exp(" + xs[i] + ") = " + out[i] + ", want " + want);
        }
    }

    @Test
    void expOverflowAndUnderflow() {
        float[] xs = {88.7228f, 88.73f, 89f, 100f, 1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                -103.98f, -104f, -200f, -1e30f, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f};
        float[] want = {(float) Math.exp(88.7228f), Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
                0f, 0f, 0f, 0f, 0f, 0f, Float.NaN, 1f, 1f};
        float[] out = new float[xs.length];
        VectorMath.exp(xs.length, xs, 0, out, 0);
        for (int i = 0; i < xs.length; i++) {
            if (Float.isFinite(want[i]) && want[i] > 1e38f) {
                assertEquals(want[i], out[i], want[i] * EXP_REL, "exp(" + xs[i] + ")");
            } else {
                assertEquals(want[i], out[i], "exp(" + xs[i] + ")");
            }
        }
    }

    @Test
    void logRelativeErrorOverAllPositiveFloats() {
        // Every 509th positive float from the smallest subnormal to MAX_VALUE, and the floats around 1.
        int stride = 509;
        int count = 0x7f7f_ffff / stride;
        float[] sampled = new float[count];
        for (int i = 0; i < count; i++) {
            sampled[i] = Float.intBitsToFloat(1 + i * stride);
        }
        float[] nearOne = grid(0.5f, 2f, 1_000_001, 100_000, 1f, (float) Math.sqrt(0.5), (float) Math.sqrt(2));
        float[] xs = Arrays.copyOf(sampled, count + nearOne.length);
        System.arraycopy(nearOne, 0, xs, count, nearOne.length);
        double err = maxError(VectorMath::log, Math::log, xs, Double.MIN_VALUE);
        System.out.printf("log: max rel error %.3g over %d points%n", err, xs.length);
        assertTrue(err <= LOG_REL, "log max rel error " + err);
    }

    @Test
    void logSpecialValues() {
        float[] xs = {0f, -0f, -1f, -Float.MIN_VALUE, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
                1f, Float.MIN_VALUE, Float.MAX_VALUE};
        float[] out = new float[xs.length];
        VectorMath.log(xs.length, xs, 0, out, 0);
        float[] want = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.NaN, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NaN, 0f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], out[i], "log(" + xs[i] + ")");
        }
        assertEquals(Math.log(Float.MIN_VALUE), out[8], 1e-5);
        assertEquals(Math.log(Float.MAX_VALUE), out[9], 1e-5);
    }
}
