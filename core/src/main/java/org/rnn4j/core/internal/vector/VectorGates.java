package org.rnn4j.core.internal.vector;

/**
 * Fused recurrent gate passes on the Vector API. PLACEHOLDER: composes the element-wise kernels of
 * {@link VectorMath} until a single-pass version replaces it.
 */
final class VectorGates {

    private VectorGates() {
    }

    static void lstmForward(int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tcOff,
                            float[] hOut, int hOff) {
        VectorMath.sigmoid(2 * h, gates, gOff, gates, gOff);
        VectorMath.tanh(h, gates, gOff + 2 * h, gates, gOff + 2 * h);
        VectorMath.sigmoid(h, gates, gOff + 3 * h, gates, gOff + 3 * h);
        VectorMath.mul(h, gates, gOff + h, c, cOff, c, cOff);
        for (int j = 0; j < h; j++) {
            c[cOff + j] += gates[gOff + j] * gates[gOff + 2 * h + j];
        }
        VectorMath.tanh(h, c, cOff, tanhC, tcOff);
        VectorMath.mul(h, gates, gOff + 3 * h, tanhC, tcOff, hOut, hOff);
    }

    static void lstmBackward(int h, float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        org.rnn4j.core.kernel.Kernels.scalar().lstmBackward(h, gates, gOff, cPrev, cpOff, tanhC, tcOff, dh, dhOff,
                dc, dcOff, dGates, dgOff);
    }

    static void gruForward(int h, float[] gi, int giOff, float[] gh, int ghOff, float[] hState, int hOff) {
        VectorMath.add(2 * h, gi, giOff, gh, ghOff, gi, giOff);
        VectorMath.sigmoid(2 * h, gi, giOff, gi, giOff);
        for (int j = 0; j < h; j++) {
            gi[giOff + 2 * h + j] += gi[giOff + j] * gh[ghOff + 2 * h + j];
        }
        VectorMath.tanh(h, gi, giOff + 2 * h, gi, giOff + 2 * h);
        for (int j = 0; j < h; j++) {
            float n = gi[giOff + 2 * h + j];
            hState[hOff + j] = n + gi[giOff + h + j] * (hState[hOff + j] - n);
        }
    }

    static void gruBackward(int h, float[] act, int aOff, float[] gh, int ghOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGi, int dgiOff, float[] dGh, int dghOff,
                            float[] dhDirect, int ddOff) {
        org.rnn4j.core.kernel.Kernels.scalar().gruBackward(h, act, aOff, gh, ghOff, hPrev, hpOff, dh, dhOff, dGi,
                dgiOff, dGh, dghOff, dhDirect, ddOff);
    }
}
