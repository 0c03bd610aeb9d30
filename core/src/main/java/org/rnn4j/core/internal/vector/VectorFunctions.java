package org.rnn4j.core.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp}, {@code sigmoid} and {@code tanh} over a range of an array, the only copies of that code, for the kernels of {@link VectorMath} and {@link VectorGates}; the method and its error
 * bounds are described in {@link VectorMath}.
 *
 * <p>Why array in, array out: a {@code FloatVector} passed to or returned from a call that C2 does
 * not inline is boxed and runs the Vector API's Java fallback, tens of times slower, and C2 does not
 * inline reliably at small sizes: a call site the profile does not mark hot takes at most 35 bytes
 * of bytecode, a compile unit past about 18000 nodes ({@code NodeCountInliningCutoff}, about two
 * activations' worth of Vector API code) takes no more user methods, and a method once compiled on
 * its own into more than 2500 bytes is never inlined again. Only the Vector API's own methods, which
 * are {@code @ForceInline}, escape these limits. So no rnn4j method takes or returns a vector
 * ({@code VectorCodeShapeTest} checks it): each function here loops over a range of an array in its
 * own body, so whether C2 inlines it or not, its code is compiled with every vector in registers.
 * A range rather than one vector step: one step of these functions is a chain of dependent
 * operations (a division among them) that leaves the core idle unless several steps overlap, and
 * a call per step, when not inlined, would prevent that.
 */
final class VectorFunctions {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    private static final int L = S.length();

    // exp: round(x * log2(e)) by adding 1.5 * 2^23, whose ulp is 1, so the integer sits in the low bits.
    private static final float LOG2E = 1.44269502f;
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    static final float LN2_HI = 0.693147182f;
    static final float LN2_LO = -1.90465421e-9f;
    // Beyond these exp is +Inf or 0 anyway; clamping keeps k small enough for the exponent arithmetic.
    private static final float EXP_HI = 89f;
    private static final float EXP_LO = -104f;
    // Lowest argument of the exp in sigmoidOrTanh: k = round(-87 log2(e)) = -126 keeps 2^k normal.
    private static final float NARROW_LO = -87f;
    // Chebyshev fit of e^r on [-ln2/2, ln2/2]; coefficients of r^6 .. r^2 (r^1 and r^0 are 1).
    private static final float E6 = 1.39411085e-3f;
    private static final float E5 = 8.37512594e-3f;
    private static final float E4 = 4.16663513e-2f;
    private static final float E3 = 1.66664153e-1f;
    private static final float E2 = 0.5f;

    // tanh(x) = x + x^3 P(x^2) below TANH_SMALL, Chebyshev fit of P on [0, 0.625^2]; P4 .. P0.
    private static final float TANH_SMALL = 0.625f;
    private static final float T4 = -6.09671418e-3f;
    private static final float T3 = 2.09971797e-2f;
    private static final float T2 = -5.38509078e-2f;
    private static final float T1 = 1.33327693e-1f;
    private static final float T0 = -3.33333284e-1f;
    private static final int SIGN_BIT = 0x8000_0000;

    private VectorFunctions() {
    }

    /**
     * {@code out[outOff + k] = exp(x[xOff + k] - shift)} for {@code k} in {@code [0, n)}, over the whole
     * float range; see {@link VectorMath}. With {@code out == null} nothing is stored (so {@code out} may
     * not alias {@code x}). Returns the sum of these values, accumulated in double, when {@code sum},
     * else 0.
     */
    static double exp(int n, float[] x, int xOff, float shift, float[] out, int outOff, boolean sum) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector c = FloatVector.fromArray(S, x, xOff + i, m).sub(shift);
            // NaN fails both comparisons and flows through as NaN.
            c = c.blend(EXP_HI, c.compare(VectorOperators.GT, EXP_HI)).blend(EXP_LO, c.compare(VectorOperators.LT, EXP_LO));
            FloatVector t = c.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.lanewise(VectorOperators.FMA, -LN2_LO, k.lanewise(VectorOperators.FMA, -LN2_HI, c));
            FloatVector p = r.fma(E6, E5).lanewise(VectorOperators.FMA, r, E4).lanewise(VectorOperators.FMA, r, E3)
                    .lanewise(VectorOperators.FMA, r, E2).lanewise(VectorOperators.FMA, r, 1f)
                    .lanewise(VectorOperators.FMA, r, 1f);
            // 2^k as 2^(k/2) * 2^(k - k/2): each factor stays a normal float for k in [-150, 128].
            IntVector ki = t.reinterpretAsInts().sub(ROUNDER_BITS);
            IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2);
            if (out != null) {
                e.intoArray(out, outOff + i, m);
            }
            if (sum) {
                e = e.blend(0f, m.not());
                acc0 = acc0.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0));
                acc1 = acc1.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
            }
        }
        return sum ? VectorMath.addInOrder(acc0.add(acc1).toArray()) : 0;
    }

    /**
     * {@code out[outOff + k] = tanh(x[xOff + k])} when {@code tanh}, else {@code sigmoid(x[xOff + k])},
     * for {@code k} in {@code [0, n)}; see {@link VectorMath}. Both share {@code 1 / (1 + exp(z))}:
     * {@code sigmoid(x)} with {@code z = -x}, {@code tanh(x) = 1 - 2 / (1 + exp(2|x|))} above 0.625.
     */
    static void sigmoidOrTanh(boolean tanh, int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, m);
            FloatVector a = v.abs();
            // tanh is the same on every pass, so C2 can unswitch the loop on it (no blend, and no
            // vector merged at a branch: JMH -prof gc measured no allocation).
            FloatVector z = tanh ? a.add(a) : v.neg();
            // Clamped so that 2^k is one normal float (+Inf for k = 128, where the result overflows anyway):
            // exp(z) = +Inf above 88.7 gives exactly 0, exp(z) <= 2^-125 gives exactly 1.
            z = z.blend(EXP_HI, z.compare(VectorOperators.GT, EXP_HI))
                    .blend(NARROW_LO, z.compare(VectorOperators.LT, NARROW_LO));
            FloatVector t = z.fma(LOG2E, ROUNDER);
            FloatVector k = t.sub(ROUNDER);
            FloatVector r = k.lanewise(VectorOperators.FMA, -LN2_LO, k.lanewise(VectorOperators.FMA, -LN2_HI, z));
            FloatVector p = r.fma(E6, E5).lanewise(VectorOperators.FMA, r, E4).lanewise(VectorOperators.FMA, r, E3)
                    .lanewise(VectorOperators.FMA, r, E2).lanewise(VectorOperators.FMA, r, 1f)
                    .lanewise(VectorOperators.FMA, r, 1f);
            // Multiplying by 2^k, rather than adding k into the exponent bits of p, keeps NaN a NaN.
            FloatVector scale = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector s = FloatVector.broadcast(S, 1f).div(p.mul(scale).add(1f));
            if (!tanh) {
                s.intoArray(out, outOff + i, m);
                continue;
            }
            FloatVector a2 = a.mul(a);
            FloatVector small = a2.fma(T4, T3).lanewise(VectorOperators.FMA, a2, T2)
                    .lanewise(VectorOperators.FMA, a2, T1).lanewise(VectorOperators.FMA, a2, T0).fma(a2.mul(a), a);
            // 1 - 2/(e^2a + 1): exactly 1 once 2/(e^2a + 1) drops below half an ulp of 1, also for a = +Inf.
            FloatVector large = s.fma(-2f, 1f);
            large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)).reinterpretAsInts()
                    .or(v.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats().intoArray(out, outOff + i, m);
        }
    }
}
