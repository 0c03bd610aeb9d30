package org.rnn4j.core.internal.vector;

import org.rnn4j.core.kernel.Kernels;

/** Matrix products on the Vector API. PLACEHOLDER: delegates to the scalar twin until implemented. */
final class VectorGemm {

    private final int threads;

    VectorGemm(int threads) {
        this.threads = threads;
    }

    int threads() {
        return threads;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Kernels.scalar().gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
              float[] x, int xOff, float beta, float[] y, int yOff) {
        Kernels.scalar().gemv(transA, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }
}
