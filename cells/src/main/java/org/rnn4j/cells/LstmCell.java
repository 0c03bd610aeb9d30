package org.rnn4j.cells;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.Init;

/**
 * Long short-term memory with PyTorch's equations and gate order {@code i, f, g, o}:
 * {@code a = W_ih x + b_ih + W_hh h + b_hh}, {@code i = σ(a_i)}, {@code f = σ(a_f)},
 * {@code g = tanh(a_g)}, {@code o = σ(a_o)}, {@code c' = f c + i g}, {@code h' = o tanh(c')}.
 * No peepholes or projection.
 */
final class LstmCell extends GatedCell {

    /** One constant list: a step kernel checks its state count every step, which must not allocate. */
    private static final List<String> STATE_NAMES = List.of("h", "c");

    /** Option: value of the forget-gate bias at start (default 1 with the default init, as Jozefowicz et al. advise). */
    static final String FORGET_BIAS = "forget_bias";
    static final Set<String> OPTIONS = Set.of(INIT, FORGET_BIAS);

    LstmCell(CellSpec spec) {
        super(spec, 4);
        Options options = spec.options().requireOnly("cell 'lstm'", OPTIONS);
        initialize(options, spec.seed());
        boolean pytorchInit = options.string(INIT, "default").equals("pytorch");
        double forgetBias = options.number(FORGET_BIAS, pytorchInit ? Double.NaN : 1.0, -100, 100);
        if (!Double.isNaN(forgetBias)) {
            Init.fillGate(biasIh.value(), 1, hidden, (float) forgetBias);
            Init.fillGate(biasHh.value(), 1, hidden, 0f);
        }
    }

    @Override
    public List<String> stateNames() {
        return STATE_NAMES;
    }

    @Override
    public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
        int h = hidden;
        Var a = tape.add(tape.linear(x, p.get("weight_ih"), p.get("bias_ih")),
                tape.linear(state[0], p.get("weight_hh"), p.get("bias_hh")));
        Var i = tape.sigmoid(tape.slice(a, 0, h));
        Var f = tape.sigmoid(tape.slice(a, h, 2 * h));
        Var g = tape.tanh(tape.slice(a, 2 * h, 3 * h));
        Var o = tape.sigmoid(tape.slice(a, 3 * h, 4 * h));
        Var c = tape.add(tape.mul(f, state[1]), tape.mul(i, g));
        return new Var[] {tape.mul(o, tape.tanh(c)), c};
    }

    @Override
    boolean foldsHiddenBias() {
        return true;
    }

    @Override
    void rowForward(float[] g, int base, float[] rec, int rOff, float[][] state, int ch, float[] tanhC, int tc) {
        k.lstmForward(hidden, g, base, state[1], ch, tanhC, tc, state[0], ch);
    }

    @Override
    Backward recur(Run r) {
        final int b = r.b;
        final int hs = hidden;
        final int gh = r.gh;
        final int stateSize = r.t * b * hs;
        final float[] cPrev = r.training ? r.buffer(C_PREV, stateSize) : null;
        final float[] tanhCs = r.training ? r.buffer(TANH_C, stateSize) : null;
        r.inParts((lo, hi) -> {
            r.beginPart(lo, hi);
            float[][] state = r.partState();
            float[] h = state[0];
            float[] c = state[1];
            float[] g = r.partGates();
            float[] tanhC = r.training ? tanhCs : new float[b * hs];
            for (int s = 0; s < r.t; s++) {
                int time = r.time(s);
                int off = r.gateOffset(time);
                int sOff = r.stateOffset(time);
                if (r.training) {
                    r.keepHidden(lo, hi, time, h);
                    r.keepState(lo, hi, time, c, cPrev);
                }
                r.project(lo, hi, time, g);
                r.addRecurrent(lo, hi, h, g, off);
                for (int row = lo; row < hi; row++) {
                    if (r.active(row, time)) {
                        rowForward(g, off + row * r.gateStride, null, 0, state, row * hs, tanhC,
                                r.training ? sOff + row * r.stateStride : row * hs);
                    }
                }
                r.writeOutput(lo, hi, time, h);
            }
            r.writeFinal(lo, hi, state);
        });
        if (!r.training) {
            return null;
        }
        return (dOutput, dFinal, dInput, dInitial) -> {
            float[] dh = r.finalGradient(dFinal, 0);
            float[] dc = r.finalGradient(dFinal, 1);
            float[] g = r.gatesBuf;
            float[] dG = r.gradientBuffer(D_GATES, gh);
            r.backwardSteps(dOutput, dh, dG, null, (gBase, sBase, ch) ->
                    k.lstmBackward(hs, g, gBase, cPrev, sBase, tanhCs, sBase, dh, ch, dc, ch, dG, gBase));
            r.writeInitialGradient(dInitial, 0, dh);
            r.writeInitialGradient(dInitial, 1, dc);
            r.parameterGradients(dG, dG, r.gh, null, dInput);
        };
    }
}
