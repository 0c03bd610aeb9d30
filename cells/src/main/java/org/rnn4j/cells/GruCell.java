package org.rnn4j.cells;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.CellSpec;

/**
 * Gated recurrent unit with PyTorch's equations and gate order {@code r, z, n} ("reset after"):
 * {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(W_iz x + b_iz + W_hz h + b_hz)},
 * {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}, {@code h' = (1 - z) n + z h}.
 */
final class GruCell extends GatedCell {

    /** One constant list: a step kernel checks its state count every step, which must not allocate. */
    private static final List<String> STATE_NAMES = List.of("h");

    static final Set<String> OPTIONS = Set.of(INIT);

    GruCell(CellSpec spec) {
        super(spec, 3);
        initialize(spec.options().requireOnly("cell 'gru'", OPTIONS), spec.seed());
    }

    @Override
    public List<String> stateNames() {
        return STATE_NAMES;
    }

    @Override
    public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
        int h = hidden;
        Var gi = tape.linear(x, p.get("weight_ih"), p.get("bias_ih"));
        Var gh = tape.linear(state[0], p.get("weight_hh"), p.get("bias_hh"));
        Var r = tape.sigmoid(tape.add(tape.slice(gi, 0, h), tape.slice(gh, 0, h)));
        Var z = tape.sigmoid(tape.add(tape.slice(gi, h, 2 * h), tape.slice(gh, h, 2 * h)));
        Var n = tape.tanh(tape.add(tape.slice(gi, 2 * h, 3 * h), tape.mul(r, tape.slice(gh, 2 * h, 3 * h))));
        return new Var[] {tape.add(tape.mul(tape.oneMinus(z), n), tape.mul(z, state[0]))};
    }

    @Override
    boolean foldsHiddenBias() {
        return false;
    }

    @Override
    void rowForward(float[] gi, int base, float[] gh, int hb, float[][] state, int ch, float[] tanhC, int tc) {
        k.gruForward(hidden, gi, base, gh, hb, state[0], ch);
    }

    @Override
    Backward recur(Run r) {
        final int b = r.b;
        final int hs = hidden;
        final int gh = r.gh;
        final float[] hPrev = r.training ? r.buffer(H_PREV, r.t * b * hs) : null;
        // Recurrent projections W_hh h + b_hh, laid out as the input projections: every step, or the
        // current one per part.
        final float[] ghShared = r.upFront ? r.buffer(RECURRENT, r.projectionFloats()) : null;
        final float[] bhh = biasHh.value().data();
        r.inParts((lo, hi) -> {
            r.beginPart(lo, hi);
            float[][] state = r.partState();
            float[] h = state[0];
            float[] gi = r.partGates();
            float[] ghBuf = r.partGates(ghShared);
            for (int s = 0; s < r.t; s++) {
                int time = r.time(s);
                int off = r.gateOffset(time);
                if (r.training) {
                    r.keepState(lo, hi, time, h, hPrev);
                }
                r.project(lo, hi, time, gi);
                r.biasRows(lo, hi, bhh, ghBuf, off);
                r.addRecurrent(lo, hi, h, ghBuf, off);
                for (int row = lo; row < hi; row++) {
                    if (r.active(row, time)) {
                        int at = off + row * r.gateStride;
                        rowForward(gi, at, ghBuf, at, state, row * hs, null, 0);
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
            float[] dGi = r.gradientBuffer(D_GATES, gh);
            float[] dGh = r.gradientBuffer(D_RECURRENT, gh);
            float[] direct = new float[b * hs];
            r.backwardSteps(dOutput, dh, dGh, direct, (gBase, sBase, ch) ->
                    k.gruBackward(hs, r.gatesBuf, gBase, ghShared, gBase, hPrev, sBase, dh, ch, dGi, gBase, dGh, gBase, direct, ch));
            r.writeInitialGradient(dInitial, 0, dh);
            // r and z get the same gradient through both projections; only n differs.
            r.parameterGradients(dGi, dGh, 2 * hs, hPrev, dInput);
        };
    }
}
