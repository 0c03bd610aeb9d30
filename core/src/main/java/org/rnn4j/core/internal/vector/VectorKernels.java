package org.rnn4j.core.internal.vector;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.core.kernel.Kernels;

/**
 * {@link Kernels} on the JDK Vector API. Products live in {@link VectorGemm}, element-wise work,
 * activations and reductions in {@link VectorMath}; this class only routes calls to them.
 * Loaded reflectively by {@code KernelSelector}, never named outside this package.
 */
public final class VectorKernels implements Kernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final VectorGemm gemm;

    /**
     * Kernels on the preferred vector species.
     *
     * @param threads the most threads one product may use
     * @throws UnsupportedOperationException when the preferred SIMD width is below 128 bits
     */
    public VectorKernels(int threads) {
        if (SPECIES.vectorBitSize() < 128) {
            throw new UnsupportedOperationException(
                    "the preferred vector size is " + SPECIES.vectorBitSize() + " bits, below the 128 bits needed");
        }
        this.gemm = new VectorGemm(threads);
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBitSize() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public int maxThreads() {
        return gemm.threads();
    }

    @Override
    public void parallel(int tasks, IntConsumer task) {
        gemm.parallel(tasks, task);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return VectorGemm.pack(transB, k, n, b, bOff, ldb);
    }

    @Override
    public void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                     float beta, float[] c, int cOff, int ldc) {
        if (!(b instanceof VectorGemm.Packed packed)) {
            throw new IllegalArgumentException("gemm: the packed matrix was made by other kernels ("
                    + b.getClass().getName() + "), not by the vector kernels");
        }
        gemm.gemm(transA, m, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
    }

    @Override
    public void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        gemm.gemv(transA, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return VectorMath.dot(n, x, xOff, y, yOff);
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        VectorMath.add(n, a, aOff, b, bOff, out, outOff);
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        VectorMath.mul(n, a, aOff, b, bOff, out, outOff);
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.scale(n, alpha, x, xOff, out, outOff);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        VectorMath.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.sigmoid(n, x, xOff, out, outOff);
    }

    @Override
    public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.tanh(n, x, xOff, out, outOff);
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.relu(n, x, xOff, out, outOff);
    }

    @Override
    public void exp(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.exp(n, x, xOff, out, outOff);
    }

    @Override
    public void log(int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.log(n, x, xOff, out, outOff);
    }

    @Override
    public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        VectorMath.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        VectorMath.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        VectorMath.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.softmax(rows, cols, x, xOff, out, outOff);
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.logSoftmax(rows, cols, x, xOff, out, outOff);
    }

    @Override
    public void lstmForward(int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tcOff,
                            float[] hOut, int hOff) {
        VectorGates.lstmForward(h, gates, gOff, c, cOff, tanhC, tcOff, hOut, hOff);
    }

    @Override
    public void lstmBackward(int h, float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        VectorGates.lstmBackward(h, gates, gOff, cPrev, cpOff, tanhC, tcOff, dh, dhOff, dc, dcOff, dGates, dgOff);
    }

    @Override
    public void gruForward(int h, float[] gi, int giOff, float[] gh, int ghOff, float[] hState, int hOff) {
        VectorGates.gruForward(h, gi, giOff, gh, ghOff, hState, hOff);
    }

    @Override
    public void gruBackward(int h, float[] act, int aOff, float[] gh, int ghOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGi, int dgiOff, float[] dGh, int dghOff,
                            float[] dhDirect, int ddOff) {
        VectorGates.gruBackward(h, act, aOff, gh, ghOff, hPrev, hpOff, dh, dhOff, dGi, dgiOff, dGh, dghOff,
                dhDirect, ddOff);
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        return VectorMath.sum(n, x, xOff);
    }

    @Override
    public float max(int n, float[] x, int xOff) {
        return VectorMath.max(n, x, xOff);
    }

    @Override
    public int firstNonFinite(int n, float[] x, int xOff) {
        return VectorMath.firstNonFinite(n, x, xOff);
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xOff) {
        return VectorMath.sumOfSquares(n, x, xOff);
    }

    @Override
    public String toString() {
        return "VectorKernels[" + vectorBitSize() + "-bit, " + maxThreads() + " threads]";
    }
}
