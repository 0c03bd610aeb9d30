package org.rnn4j.core.internal.vector;

import static org.rnn4j.core.internal.vector.VectorFunctions.sigmoidOrTanh;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Recurrent gate passes on the Vector API, as specified in {@code Kernels}. The backward passes are
 * one loop each. The forward passes run the activations of {@link VectorFunctions} over whole gate
 * blocks and fuse the arithmetic between them into loops of their own: a few passes over at most
 * {@code 4h} floats, which stay in L1. One loop with every activation inlined in registers is not
 * compiled reliably (see {@link VectorFunctions}), and a call per vector step leaves each
 * activation's chain of dependent operations without overlap. The arithmetic follows the scalar
 * twin's order of operations (no FMA), so the two differ only by the activations' error.
 */
final class VectorGates {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int L = S.length();

    private VectorGates() {
    }

    static void lstmForward(int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tcOff,
                            float[] hOut, int hOff) {
        sigmoidOrTanh(false, 2 * h, gates, gOff, gates, gOff);
        sigmoidOrTanh(true, h, gates, gOff + 2 * h, gates, gOff + 2 * h);
        sigmoidOrTanh(false, h, gates, gOff + 3 * h, gates, gOff + 3 * h);
        for (int j = 0; j < h; j += L) {
            VectorMask<Float> m = S.indexInRange(j, h);
            int g = gOff + j;
            FloatVector.fromArray(S, gates, g + h, m).mul(FloatVector.fromArray(S, c, cOff + j, m))
                    .add(FloatVector.fromArray(S, gates, g, m).mul(FloatVector.fromArray(S, gates, g + 2 * h, m)))
                    .intoArray(c, cOff + j, m);
        }
        sigmoidOrTanh(true, h, c, cOff, tanhC, tcOff);
        VectorMath.mul(h, gates, gOff + 3 * h, tanhC, tcOff, hOut, hOff);
    }

    static void lstmBackward(int h, float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += L) {
            int g = gOff + j;
            int d = dgOff + j;
            FloatVector ig = FloatVector.fromArray(S, gates, g);
            FloatVector fg = FloatVector.fromArray(S, gates, g + h);
            FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * h);
            FloatVector og = FloatVector.fromArray(S, gates, g + 3 * h);
            FloatVector t = FloatVector.fromArray(S, tanhC, tcOff + j);
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j);
            FloatVector dcj = FloatVector.fromArray(S, dc, dcOff + j).add(dhj.mul(og).mul(one.sub(t.mul(t))));
            dcj.mul(gg).mul(ig).mul(one.sub(ig)).intoArray(dGates, d);
            dcj.mul(FloatVector.fromArray(S, cPrev, cpOff + j)).mul(fg).mul(one.sub(fg)).intoArray(dGates, d + h);
            dcj.mul(ig).mul(one.sub(gg.mul(gg))).intoArray(dGates, d + 2 * h);
            dhj.mul(t).mul(og).mul(one.sub(og)).intoArray(dGates, d + 3 * h);
            dcj.mul(fg).intoArray(dc, dcOff + j);
        }
        // The same arithmetic, lane by lane, so the tail matches the vector lanes bit for bit. A masked last
        // step would be the single-copy idiom, but masked accesses are large inlined code in C1: with them
        // this method exceeds C1's virtual registers, its tier-3 compile fails and it stays in tier 2.
        for (; j < h; j++) {
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

    static void gruForward(int h, float[] gi, int giOff, float[] gh, int ghOff, float[] hState, int hOff) {
        // Pre-activations go to gi, which the activations overwrite anyway; n needs r first.
        VectorMath.add(2 * h, gi, giOff, gh, ghOff, gi, giOff);
        sigmoidOrTanh(false, 2 * h, gi, giOff, gi, giOff);
        for (int j = 0; j < h; j += L) {
            VectorMask<Float> m = S.indexInRange(j, h);
            int n = giOff + 2 * h + j;
            FloatVector.fromArray(S, gi, n, m)
                    .add(FloatVector.fromArray(S, gi, giOff + j, m).mul(FloatVector.fromArray(S, gh, ghOff + 2 * h + j, m)))
                    .intoArray(gi, n, m);
        }
        sigmoidOrTanh(true, h, gi, giOff + 2 * h, gi, giOff + 2 * h);
        for (int j = 0; j < h; j += L) {
            VectorMask<Float> m = S.indexInRange(j, h);
            FloatVector z = FloatVector.fromArray(S, gi, giOff + h + j, m);
            FloatVector n = FloatVector.fromArray(S, gi, giOff + 2 * h + j, m);
            n.add(z.mul(FloatVector.fromArray(S, hState, hOff + j, m).sub(n))).intoArray(hState, hOff + j, m);
        }
    }

    static void gruBackward(int h, float[] act, int aOff, float[] gh, int ghOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGi, int dgiOff, float[] dGh, int dghOff,
                            float[] dhDirect, int ddOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < h; j += L) {
            VectorMask<Float> m = S.indexInRange(j, h);
            int a = aOff + j;
            FloatVector r = FloatVector.fromArray(S, act, a, m);
            FloatVector z = FloatVector.fromArray(S, act, a + h, m);
            FloatVector n = FloatVector.fromArray(S, act, a + 2 * h, m);
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j, m);
            FloatVector dan = dhj.mul(one.sub(z)).mul(one.sub(n.mul(n)));
            FloatVector dar = dan.mul(FloatVector.fromArray(S, gh, ghOff + 2 * h + j, m)).mul(r).mul(one.sub(r));
            FloatVector daz = dhj.mul(FloatVector.fromArray(S, hPrev, hpOff + j, m).sub(n)).mul(z).mul(one.sub(z));
            dar.intoArray(dGi, dgiOff + j, m);
            daz.intoArray(dGi, dgiOff + h + j, m);
            dan.intoArray(dGi, dgiOff + 2 * h + j, m);
            dar.intoArray(dGh, dghOff + j, m);
            daz.intoArray(dGh, dghOff + h + j, m);
            dan.mul(r).intoArray(dGh, dghOff + 2 * h + j, m);
            dhj.mul(z).intoArray(dhDirect, ddOff + j, m);
        }
    }
}
