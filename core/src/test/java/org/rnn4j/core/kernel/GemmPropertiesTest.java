package org.rnn4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Algebraic properties of GEMM that hold for every shape, checked on generated shapes and data. */
class GemmPropertiesTest {

    private static float[] random(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }

    /** {@code (A B)^T = B^T A^T}: computing the transposed product with swapped, transposed operands. */
    @Property(tries = 60)
    void transposeOfAProductIsTheProductOfTransposes(@ForAll @IntRange(min = 1, max = 70) int m,
                                                     @ForAll @IntRange(min = 1, max = 70) int n,
                                                     @ForAll @IntRange(min = 1, max = 70) int k,
                                                     @ForAll long seed) {
        Kernels kernels = Kernels.get();
        float[] a = random(seed, m * k);
        float[] b = random(seed + 1, k * n);
        float[] ab = new float[m * n];
        kernels.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ab, 0, n);
        // B^T A^T read from the same arrays: op(B) = B^T (n x k) with B stored k x n, op(A) = A^T.
        float[] abT = new float[n * m];
        kernels.gemm(true, true, n, m, k, 1f, b, 0, n, a, 0, k, 0f, abT, 0, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(ab[i * n + j], abT[j * m + i], 1e-4f * k, "element (" + i + ", " + j + ")");
            }
        }
    }

    /** Two-thread Vector API kernels, made once when first used: the large products below run on both threads. */
    private static final class TwoThreads {
        static final Kernels KERNELS = Kernels.vector(2);
    }

    /**
     * Shapes past what the properties above reach: depth beyond one 1,024-deep block, several
     * column blocks, products above the threading threshold, A stored either way; every element
     * against a sum in double. Float32 rounding grows with the depth: the bound is 2e-6 per term,
     * where a block handled twice or skipped would be off by whole products.
     */
    @Property(tries = 8)
    void largeProductsMatchADoublePrecisionSum(@ForAll @IntRange(min = 1, max = 48) int m,
                                               @ForAll @IntRange(min = 300, max = 1300) int n,
                                               @ForAll @IntRange(min = 1000, max = 2200) int k,
                                               @ForAll boolean transposeA,
                                               @ForAll long seed) {
        float[] a = random(seed, m * k);
        float[] b = random(seed + 1, k * n);
        float[] c = new float[m * n];
        int lda = transposeA ? m : k;
        TwoThreads.KERNELS.gemm(transposeA, false, m, n, k, 1f, a, 0, lda, b, 0, n, 0f, c, 0, n);
        double[] want = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = transposeA ? a[p * m + i] : a[i * k + p];
                for (int j = 0; j < n; j++) {
                    want[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        for (int i = 0; i < m * n; i++) {
            assertEquals(want[i], c[i], 2e-6 * k, "element (" + i / n + ", " + i % n + ") of " + m + " x " + n + " x " + k);
        }
    }

    /** Linearity in alpha and beta: {@code gemm(alpha, beta)} equals {@code alpha * AB + beta * C}. */
    @Property(tries = 60)
    void alphaAndBetaAreLinear(@ForAll @IntRange(min = 1, max = 40) int m,
                               @ForAll @IntRange(min = 1, max = 40) int n,
                               @ForAll @IntRange(min = 1, max = 40) int k,
                               @ForAll long seed) {
        Kernels kernels = Kernels.get();
        float[] a = random(seed, m * k);
        float[] b = random(seed + 1, k * n);
        float[] c = random(seed + 2, m * n);
        float[] ab = new float[m * n];
        kernels.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ab, 0, n);
        float[] mixed = c.clone();
        kernels.gemm(false, false, m, n, k, -1.5f, a, 0, k, b, 0, n, 0.5f, mixed, 0, n);
        for (int i = 0; i < m * n; i++) {
            assertEquals(-1.5f * ab[i] + 0.5f * c[i], mixed[i], 1e-4f * k, "element " + i);
        }
    }
}
