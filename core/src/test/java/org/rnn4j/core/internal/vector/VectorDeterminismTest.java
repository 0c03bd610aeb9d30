package org.rnn4j.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.kernel.Kernels;

/**
 * Reductions give the same bits on every call, before and after the JIT compiles them: a lane
 * sum whose order changed on compilation made two training runs in one JVM differ.
 */
class VectorDeterminismTest {

    @Test
    void reductionsAreTheSameOnTheFirstCallAndAfterCompilation() {
        Kernels k = Kernels.get();
        SplittableRandom rng = new SplittableRandom(1);
        int n = 1000;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] a = new float[37 * n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
            y[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        float dot = k.dot(n, x, 0, y, 0);
        float sum = k.sum(n, x, 0);
        double squares = k.sumOfSquares(n, x, 0);
        float[] gemv = new float[37];
        k.gemv(false, 37, n, 1f, a, 0, n, x, 0, 0f, gemv, 0);
        for (int round = 0; round < 20_000; round++) {
            assertEquals(dot, k.dot(n, x, 0, y, 0), "dot, round " + round);
            assertEquals(sum, k.sum(n, x, 0), "sum, round " + round);
            assertEquals(squares, k.sumOfSquares(n, x, 0), "sumOfSquares, round " + round);
            float[] again = new float[37];
            k.gemv(false, 37, n, 1f, a, 0, n, x, 0, 0f, again, 0);
            assertEquals(java.util.Arrays.toString(gemv), java.util.Arrays.toString(again), "gemv, round " + round);
        }
    }
}
