package org.rnn4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Products with a prepared right-hand side equal the plain products, bit for bit. */
class PackedGemmTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 256, 64), Arguments.of(3, 17, 5), Arguments.of(8, 100, 33),
                Arguments.of(9, 512, 128), Arguments.of(32, 512, 128), Arguments.of(64, 1031, 300),
                Arguments.of(257, 40, 513), Arguments.of(13, 1, 7),
                // deeper than one packed k block (1024): later blocks accumulate onto C
                Arguments.of(24, 70, 1100),
                // few rows (the direct path, which reads the row-major copy) over two k blocks and a partial panel
                Arguments.of(5, 45, 1100));
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void preparedEqualsPlain(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(m * 31L + n * 7L + k);
        for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector(1), Kernels.vector(2)}) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    int lda = (transA ? m : k) + 3;
                    int ldb = (transB ? k : n) + 2;
                    float[] a = random(rng, 5 + (transA ? k : m) * lda);
                    float[] b = random(rng, 4 + (transB ? n : k) * ldb);
                    float[] c0 = random(rng, 1 + m * (n + 1));
                    float[] want = c0.clone();
                    float[] got = c0.clone();
                    kernels.gemm(transA, transB, m, n, k, 0.5f, a, 5, lda, b, 4, ldb, 0.25f, want, 1, n + 1);
                    Kernels.PackedMatrix packed = kernels.pack(transB, k, n, b, 4, ldb);
                    assertEquals(k, packed.rows());
                    assertEquals(n, packed.cols());
                    kernels.gemm(transA, m, 0.5f, a, 5, lda, packed, 0.25f, got, 1, n + 1);
                    assertArrayEquals(want, got, kernels + " transA=" + transA + " transB=" + transB);
                }
            }
        }
    }

    @Test
    void packedMatricesDoNotCrossImplementations() {
        Kernels.PackedMatrix fromScalar = Kernels.scalar().pack(false, 2, 2, new float[4], 0, 2);
        Kernels.PackedMatrix fromVector = Kernels.vector(1).pack(false, 2, 2, new float[4], 0, 2);
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.vector(1).gemm(false, 1, 1f, new float[2], 0, 2, fromScalar, 0f, new float[2], 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.scalar().gemm(false, 1, 1f, new float[2], 0, 2, fromVector, 0f, new float[2], 0, 2));
    }
}
