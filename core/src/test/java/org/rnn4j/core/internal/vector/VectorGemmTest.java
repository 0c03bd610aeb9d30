package org.rnn4j.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.core.kernel.Kernels;

/** Differential tests of the Vector API products against the scalar twin. */
class VectorGemmTest {

    private static final int[] SIZES = {1, 3, 7, 13, 16, 17, 31, 33, 100, 257};
    private static final int[] GEMV_SIZES = {1, 3, 7, 13, 16, 17, 31, 33, 100, 257, 1000};
    /** (alpha, beta) cases; beta 0 runs with C full of NaN to prove C is not read. */
    private static final float[][] SCALARS = {{1f, 0f}, {-0.5f, 1f}, {1f, 0.25f}, {-0.5f, 0f}};
    private static final Kernels SCALAR = Kernels.scalar();

    /** A row-major matrix inside a larger array: an offset, a padded leading dimension, NaN around it. */
    private record Mat(float[] data, int off, int ld, int rows, int cols) {

        static Mat random(int rows, int cols, SplittableRandom rnd) {
            int off = rnd.nextInt(4);
            int ld = cols + rnd.nextInt(3);
            float[] data = new float[off + (rows - 1) * ld + cols + rnd.nextInt(3)];
            java.util.Arrays.fill(data, Float.NaN);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    data[off + i * ld + j] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
            return new Mat(data, off, ld, rows, cols);
        }

        float get(int i, int j) {
            return data[off + i * ld + j];
        }

        Mat copy() {
            return new Mat(data.clone(), off, ld, rows, cols);
        }
    }

    /** Runs {@code kernels.gemm} and checks it against the scalar twin, element by element. */
    private static void check(Kernels kernels, boolean ta, boolean tb, int m, int n, int k,
                              float alpha, float beta, SplittableRandom rnd) {
        Mat a = ta ? Mat.random(k, m, rnd) : Mat.random(m, k, rnd);
        Mat b = tb ? Mat.random(n, k, rnd) : Mat.random(k, n, rnd);
        Mat c = Mat.random(m, n, rnd);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c.data[c.off + i * c.ld + j] = Float.NaN;
                }
            }
        }
        Mat want = c.copy();
        Mat got = c.copy();
        SCALAR.gemm(ta, tb, m, n, k, alpha, a.data, a.off, a.ld, b.data, b.off, b.ld, beta, want.data, want.off, want.ld);
        kernels.gemm(ta, tb, m, n, k, alpha, a.data, a.off, a.ld, b.data, b.off, b.ld, beta, got.data, got.off, got.ld);
        String where = kernels + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    magnitude += Math.abs((ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j)));
                }
                double prior = beta == 0f ? 0 : Math.abs(beta * c.get(i, j));
                double tol = 1e-5 * (Math.abs(alpha) * magnitude + prior) + 1e-6;
                float g = got.get(i, j);
                float w = want.get(i, j);
                if (!(Math.abs(g - w) <= tol)) {
                    fail(where + ": C[" + i + "," + j + "] = " + g + ", scalar twin gives " + w + " (tolerance " + tol + ")");
                }
            }
        }
        // Nothing outside C's m x n window may change: padding, offsets and the tail keep their bits.
        for (int idx = 0; idx < c.data.length; idx++) {
            int rel = idx - c.off;
            boolean inside = rel >= 0 && rel / c.ld < m && rel % c.ld < n;
            if (!inside && Float.floatToRawIntBits(got.data[idx]) != Float.floatToRawIntBits(c.data[idx])) {
                fail(where + ": wrote outside C at array index " + idx);
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void awkwardSizesMatchTheScalarTwin(int threads) {
        Kernels kernels = Kernels.vector(threads);
        SplittableRandom rnd = new SplittableRandom(42 + threads);
        int index = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    // Every combination of sizes, with transposes and scalars rotating through all cases.
                    float[] ab = SCALARS[(index / 4) % SCALARS.length];
                    check(kernels, (index & 1) != 0, (index & 2) != 0, m, n, k, ab[0], ab[1], rnd);
                    index++;
                }
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void everyTransposeAndScalarCase(int threads) {
        Kernels kernels = Kernels.vector(threads);
        SplittableRandom rnd = new SplittableRandom(7);
        // The last shape is deeper than one packed k block: later blocks accumulate onto C.
        int[][] shapes = {{17, 33, 13}, {7, 100, 33}, {3, 257, 300}, {100, 31, 257}, {33, 16, 600},
            {19, 45, VectorGemm.KC + 37}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (float[] ab : SCALARS) {
                    check(kernels, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], ab[0], ab[1], rnd);
                }
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2})
    void largeProductsMatchTheScalarTwin(int threads) {
        Kernels kernels = Kernels.vector(threads);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 4; t++) {
            check(kernels, (t & 1) != 0, (t & 2) != 0, 1000, 257, 300, 1f, 0f, rnd);
            check(kernels, (t & 1) != 0, (t & 2) != 0, 513, 1000, 129, -0.5f, 0.25f, rnd);
            // Several column and depth blocks, and a partial last panel and row block.
            check(kernels, (t & 1) != 0, (t & 2) != 0, 260, VectorGemm.NC + 41, VectorGemm.KC + 37, 1f, 0.5f, rnd);
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        float[] c = {1f, 2f, 3f, Float.NaN};
        Kernels.vector(1).gemm(false, false, 1, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0.5f, c, 0, 3);
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f, Float.NaN}, c);
        Kernels.vector(1).gemm(false, false, 1, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0f, c, 0, 3);
        assertArrayEquals(new float[] {0f, 0f, 0f, Float.NaN}, c);
    }

    /** Each element is computed by one thread in an order fixed by the shape: 1 and 2 threads agree bit for bit. */
    @Test
    void twoThreadsGiveBitIdenticalResults() {
        Kernels one = Kernels.vector(1);
        Kernels two = Kernels.vector(2);
        assertEquals(2, two.maxThreads());
        SplittableRandom rnd = new SplittableRandom(3);
        // All above the parallel threshold: split by columns, by rows (m > n, products too small to claim),
        // row blocks claimed by whichever thread comes free (with more than one k and one column
        // block in the last shape), the unpacked few-row path, and more than one k block, on the
        // packed and on the few-row path.
        int[][] shapes = {{200, 300, 270}, {200, 100, 270}, {300, 100, 270}, {5, 3000, 300}, {60, 90, VectorGemm.KC + 37},
            {5, 3000, VectorGemm.KC + 37}, {260, VectorGemm.NC + 40, VectorGemm.KC + 37}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            assertTrue(2L * m * n * k >= VectorGemm.PARALLEL_MIN_FLOPS, "shape below the parallel threshold");
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Mat a = ta ? Mat.random(k, m, rnd) : Mat.random(m, k, rnd);
                Mat b = tb ? Mat.random(n, k, rnd) : Mat.random(k, n, rnd);
                Mat c = Mat.random(m, n, rnd);
                Mat c1 = c.copy();
                Mat c2 = c.copy();
                one.gemm(ta, tb, m, n, k, 0.75f, a.data, a.off, a.ld, b.data, b.off, b.ld, 0.5f, c1.data, c1.off, c1.ld);
                two.gemm(ta, tb, m, n, k, 0.75f, a.data, a.off, a.ld, b.data, b.off, b.ld, 0.5f, c2.data, c2.off, c2.ld);
                for (int idx = 0; idx < c1.data.length; idx++) {
                    if (Float.floatToRawIntBits(c1.data[idx]) != Float.floatToRawIntBits(c2.data[idx])) {
                        fail("t=" + t + " shape " + m + "x" + n + "x" + k + ": 1 and 2 threads differ at index " + idx
                                + ": " + c1.data[idx] + " vs " + c2.data[idx]);
                    }
                }
            }
        }
    }

    /**
     * Products that claim their row blocks, with more shares than this machine may have cores, and
     * from several callers at once (a caller that finds the pool busy runs its shares one after
     * another on its own thread): every result is the one-thread result, bit for bit.
     */
    @Test
    void claimedBlocksFinishWithMoreSharesThanCoresAndConcurrentCallers() throws Exception {
        int m = 520;
        int n = VectorGemm.NC + 40;
        int k = VectorGemm.KC + 37;
        SplittableRandom rnd = new SplittableRandom(5);
        Mat a = Mat.random(m, k, rnd);
        Mat b = Mat.random(k, n, rnd);
        Mat c = Mat.random(m, n, rnd);
        Mat want = c.copy();
        Kernels.vector(1).gemm(false, false, m, n, k, 1f, a.data, a.off, a.ld, b.data, b.off, b.ld, 0.5f,
                want.data, want.off, want.ld);
        assertTrue(2L * m * n * k >= VectorGemm.SHARED_MIN_FLOPS, "product below the claimed-blocks threshold");
        for (int threads : new int[] {2, 4}) {
            assertTrue((m + VectorGemm.MC - 1) / VectorGemm.MC >= VectorGemm.SHARED_MIN_BLOCKS_PER_THREAD * threads,
                    "too few row blocks to claim with " + threads + " threads");
            Kernels kernels = Kernels.vector(threads);
            int callers = 3;
            Mat[] got = new Mat[callers];
            Thread[] running = new Thread[callers];
            Throwable[] failure = new Throwable[callers];
            for (int i = 0; i < callers; i++) {
                Mat mine = c.copy();
                got[i] = mine;
                int caller = i;
                running[i] = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        for (int rep = 0; rep < 3; rep++) {
                            System.arraycopy(c.data, 0, mine.data, 0, c.data.length);
                            kernels.gemm(false, false, m, n, k, 1f, a.data, a.off, a.ld, b.data, b.off, b.ld, 0.5f,
                                    mine.data, mine.off, mine.ld);
                        }
                    } catch (Throwable e) {
                        failure[caller] = e;
                    }
                });
            }
            for (int i = 0; i < callers; i++) {
                running[i].join(120_000);
                assertFalse(running[i].isAlive(), "threads=" + threads + ": caller " + i + " still running after 2 min");
                if (failure[i] != null) {
                    throw new AssertionError("threads=" + threads + ": caller " + i + " failed", failure[i]);
                }
                for (int idx = 0; idx < want.data.length; idx++) {
                    if (Float.floatToRawIntBits(want.data[idx]) != Float.floatToRawIntBits(got[i].data[idx])) {
                        fail("threads=" + threads + ", caller " + i + ": differs from one thread at index " + idx
                                + ": " + got[i].data[idx] + " vs " + want.data[idx]);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "transA={0}")
    @ValueSource(booleans = {false, true})
    void gemvMatchesTheScalarTwin(boolean transA) {
        Kernels kernels = Kernels.vector(1);
        SplittableRandom rnd = new SplittableRandom(transA ? 5 : 6);
        int index = 0;
        for (int m : GEMV_SIZES) {
            for (int n : GEMV_SIZES) {
                float[] ab = SCALARS[index++ % SCALARS.length];
                float alpha = ab[0];
                float beta = ab[1];
                Mat a = Mat.random(m, n, rnd);
                int inLen = transA ? m : n;
                int outLen = transA ? n : m;
                Mat x = Mat.random(1, inLen, rnd);
                Mat y = Mat.random(1, outLen + 2, rnd);
                if (beta == 0f) {
                    java.util.Arrays.fill(y.data, y.off, y.off + outLen, Float.NaN);
                }
                float[] want = y.data.clone();
                float[] got = y.data.clone();
                SCALAR.gemv(transA, m, n, alpha, a.data, a.off, a.ld, x.data, x.off, beta, want, y.off);
                kernels.gemv(transA, m, n, alpha, a.data, a.off, a.ld, x.data, x.off, beta, got, y.off);
                for (int i = 0; i < outLen; i++) {
                    double magnitude = 0;
                    for (int p = 0; p < inLen; p++) {
                        magnitude += Math.abs((transA ? a.get(p, i) : a.get(i, p)) * x.get(0, p));
                    }
                    double prior = beta == 0f ? 0 : Math.abs(beta * y.get(0, i));
                    double tol = 1e-5 * (Math.abs(alpha) * magnitude + prior) + 1e-6;
                    float g = got[y.off + i];
                    float w = want[y.off + i];
                    if (!(Math.abs(g - w) <= tol)) {
                        fail("gemv transA=" + transA + " m=" + m + " n=" + n + ": y[" + i + "] = " + g
                                + ", scalar twin gives " + w);
                    }
                }
                for (int i = outLen; i < outLen + 2; i++) {
                    assertEquals(Float.floatToRawIntBits(y.data[y.off + i]), Float.floatToRawIntBits(got[y.off + i]),
                            "gemv wrote past y");
                }
            }
        }
    }
}
