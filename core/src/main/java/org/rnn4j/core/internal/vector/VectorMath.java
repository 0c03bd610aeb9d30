package org.rnn4j.core.internal.vector;

import org.rnn4j.core.kernel.Kernels;

/** Element-wise kernels on the Vector API. PLACEHOLDER: delegates to the scalar twin until implemented. */
final class VectorMath {

    private VectorMath() {
    }

    static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return Kernels.scalar().dot(n, x, xOff, y, yOff);
    }

    static void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        Kernels.scalar().add(n, a, aOff, b, bOff, out, outOff);
    }

    static void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        Kernels.scalar().mul(n, a, aOff, b, bOff, out, outOff);
    }

    static void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().scale(n, alpha, x, xOff, out, outOff);
    }

    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Kernels.scalar().axpy(n, alpha, x, xOff, y, yOff);
    }

    static void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().sigmoid(n, x, xOff, out, outOff);
    }

    static void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().tanh(n, x, xOff, out, outOff);
    }

    static void relu(int n, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().relu(n, x, xOff, out, outOff);
    }

    static void exp(int n, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().exp(n, x, xOff, out, outOff);
    }

    static void log(int n, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().log(n, x, xOff, out, outOff);
    }

    static void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Kernels.scalar().sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    static void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Kernels.scalar().tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        Kernels.scalar().reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    static void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().softmax(rows, cols, x, xOff, out, outOff);
    }

    static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        Kernels.scalar().logSoftmax(rows, cols, x, xOff, out, outOff);
    }

    static float sum(int n, float[] x, int xOff) {
        return Kernels.scalar().sum(n, x, xOff);
    }

    static float max(int n, float[] x, int xOff) {
        return Kernels.scalar().max(n, x, xOff);
    }

    static double sumOfSquares(int n, float[] x, int xOff) {
        return Kernels.scalar().sumOfSquares(n, x, xOff);
    }
}
