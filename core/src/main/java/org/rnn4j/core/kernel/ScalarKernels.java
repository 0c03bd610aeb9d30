package org.rnn4j.core.kernel;

/**
 * The plain-Java reference implementation of {@link Kernels}: straightforward loops, single-threaded,
 * with {@link Math} for transcendental functions. It defines what the SIMD kernels must compute and
 * is the fallback where the Vector API is not usable. Obtain it through {@link Kernels#scalar()}.
 */
public final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return 0;
    }

    @Override
    public int maxThreads() {
        return 1;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += av * bv;
                }
                float prior = beta == 0f ? 0f : beta * c[cRow + j];
                c[cRow + j] = alpha * acc + prior;
            }
        }
    }

    /** The scalar packed form: {@code op(B)} copied row-major. */
    private record Plain(int rows, int cols, float[] values) implements PackedMatrix {
    }

    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        float[] values = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                values[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        return new Plain(k, n, values);
    }

    @Override
    public void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                     float beta, float[] c, int cOff, int ldc) {
        if (!(b instanceof Plain plain)) {
            throw new IllegalArgumentException("gemm: the packed matrix was made by other kernels ("
                    + b.getClass().getName() + "), not by the scalar kernels");
        }
        gemm(transA, false, m, plain.cols, plain.rows, alpha, a, aOff, lda, plain.values, 0, plain.cols,
                beta, c, cOff, ldc);
    }

    @Override
    public void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        int outLen = transA ? n : m;
        int inLen = transA ? m : n;
        for (int i = 0; i < outLen; i++) {
            float acc = 0f;
            for (int p = 0; p < inLen; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                acc += av * x[xOff + p];
            }
            float prior = beta == 0f ? 0f : beta * y[yOff + i];
            y[yOff + i] = alpha * acc + prior;
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += x[xOff + i] * y[yOff + i];
        }
        return acc;
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i];
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
        }
    }

    @Override
    public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0f || Float.isNaN(v) ? v : 0f;
        }
    }

    @Override
    public void exp(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    @Override
    public void log(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.log(x[xOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    @Override
    public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float m = max(cols, x, in);
            float total = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[in + j] - m);
                out[o + j] = e;
                total += e;
            }
            float inv = 1f / total;
            for (int j = 0; j < cols; j++) {
                out[o + j] *= inv;
            }
        }
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * cols;
            int o = outOff + r * cols;
            float m = max(cols, x, in);
            double total = 0.0;
            for (int j = 0; j < cols; j++) {
                total += Math.exp(x[in + j] - m);
            }
            // (x - m) - log(total), not x - (m + log(total)): for |m| >> log(total) the latter loses log(total).
            float logTotal = (float) Math.log(total);
            for (int j = 0; j < cols; j++) {
                out[o + j] = (x[in + j] - m) - logTotal;
            }
        }
    }

    @Override
    public void lstmForward(int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tcOff,
                            float[] hOut, int hOff) {
        sigmoid(2 * h, gates, gOff, gates, gOff);
        tanh(h, gates, gOff + 2 * h, gates, gOff + 2 * h);
        sigmoid(h, gates, gOff + 3 * h, gates, gOff + 3 * h);
        for (int j = 0; j < h; j++) {
            float cj = gates[gOff + h + j] * c[cOff + j] + gates[gOff + j] * gates[gOff + 2 * h + j];
            c[cOff + j] = cj;
            float t = (float) Math.tanh(cj);
            tanhC[tcOff + j] = t;
            hOut[hOff + j] = gates[gOff + 3 * h + j] * t;
        }
    }

    @Override
    public void lstmBackward(int h, float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        for (int j = 0; j < h; j++) {
            float ig = gates[gOff + j];
            float fg = gates[gOff + h + j];
            float gg = gates[gOff + 2 * h + j];
            float og = gates[gOff + 3 * h + j];
            float t = tanhC[tcOff + j];
            float dhj = dh[dhOff + j];
            float dcj = dc[dcOff + j] + dhj * og * (1f - t * t);
            dGates[dgOff + j] = dcj * gg * ig * (1f - ig);
            dGates[dgOff + h + j] = dcj * cPrev[cpOff + j] * fg * (1f - fg);
            dGates[dgOff + 2 * h + j] = dcj * ig * (1f - gg * gg);
            dGates[dgOff + 3 * h + j] = dhj * t * og * (1f - og);
            dc[dcOff + j] = dcj * fg;
        }
    }

    @Override
    public void gruForward(int h, float[] gi, int giOff, float[] gh, int ghOff, float[] hState, int hOff) {
        for (int j = 0; j < 2 * h; j++) {
            gi[giOff + j] = (float) (1.0 / (1.0 + Math.exp(-(gi[giOff + j] + gh[ghOff + j]))));
        }
        for (int j = 0; j < h; j++) {
            float r = gi[giOff + j];
            float z = gi[giOff + h + j];
            float n = (float) Math.tanh(gi[giOff + 2 * h + j] + r * gh[ghOff + 2 * h + j]);
            gi[giOff + 2 * h + j] = n;
            hState[hOff + j] = n + z * (hState[hOff + j] - n);
        }
    }

    @Override
    public void gruBackward(int h, float[] act, int aOff, float[] gh, int ghOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGi, int dgiOff, float[] dGh, int dghOff,
                            float[] dhDirect, int ddOff) {
        for (int j = 0; j < h; j++) {
            float r = act[aOff + j];
            float z = act[aOff + h + j];
            float n = act[aOff + 2 * h + j];
            float dhj = dh[dhOff + j];
            float dan = dhj * (1f - z) * (1f - n * n);
            float dar = dan * gh[ghOff + 2 * h + j] * r * (1f - r);
            float daz = dhj * (hPrev[hpOff + j] - n) * z * (1f - z);
            dGi[dgiOff + j] = dar;
            dGi[dgiOff + h + j] = daz;
            dGi[dgiOff + 2 * h + j] = dan;
            dGh[dghOff + j] = dar;
            dGh[dghOff + h + j] = daz;
            dGh[dghOff + 2 * h + j] = dan * r;
            dhDirect[ddOff + j] = dhj * z;
        }
    }

    @Override
    public float sum(int n, float[] x, int xOff) {
        float acc = 0f;
        for (int i = 0; i < n; i++) {
            acc += x[xOff + i];
        }
        return acc;
    }

    @Override
    public float max(int n, float[] x, int xOff) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            if (Float.isNaN(v)) {
                return Float.NaN;
            }
            if (v > m) {
                m = v;
            }
        }
        return m;
    }

    @Override
    public int firstNonFinite(int n, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[xOff + i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xOff) {
        double acc = 0.0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            acc += v * v;
        }
        return acc;
    }

    @Override
    public String toString() {
        return "ScalarKernels";
    }
}
