package org.rnn4j.models;

import org.rnn4j.core.Tensor;

/** Row-wise joins and splits of {@code [n, *]} tensors: the concatenations the decoder feeds its layers. */
final class Rows {

    private Rows() {
    }

    /** {@code [a; b]} per row: {@code [n, A]} and {@code [n, B]} to {@code [n, A + B]}. */
    static Tensor concat(Tensor a, Tensor b) {
        int n = a.dim(0);
        int wa = a.dim(1);
        int wb = b.dim(1);
        Tensor y = Tensor.zeros(n, wa + wb);
        for (int r = 0; r < n; r++) {
            System.arraycopy(a.data(), r * wa, y.data(), r * (wa + wb), wa);
            System.arraycopy(b.data(), r * wb, y.data(), r * (wa + wb) + wa, wb);
        }
        return y;
    }

    /** The inverse of {@link #concat}: the first {@code widthA} columns of each row, and the rest. */
    static Tensor[] split(Tensor ab, int widthA) {
        int n = ab.dim(0);
        int w = ab.size() / n;
        int wb = w - widthA;
        Tensor a = Tensor.zeros(n, widthA);
        Tensor b = Tensor.zeros(n, wb);
        for (int r = 0; r < n; r++) {
            System.arraycopy(ab.data(), r * w, a.data(), r * widthA, widthA);
            System.arraycopy(ab.data(), r * w + widthA, b.data(), r * wb, wb);
        }
        return new Tensor[] {a, b};
    }

    /** {@code dst += src}, element-wise, for equally sized tensors. */
    static void addInto(Tensor dst, Tensor src) {
        float[] d = dst.data();
        float[] s = src.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += s[i];
        }
    }
}
