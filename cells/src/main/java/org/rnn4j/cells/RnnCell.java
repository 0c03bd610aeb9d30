package org.rnn4j.cells;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.CellSpec;

/**
 * The vanilla (Elman) recurrent cell: {@code h' = φ(W_ih x + b_ih + W_hh h + b_hh)} with
 * {@code φ} = tanh (default) or relu (option {@code nonlinearity}). With relu, option
 * {@code init=irnn} starts the recurrent weights at the identity (Le et al. 2015).
 */
final class RnnCell extends GatedCell {

    /** One constant list: a step kernel checks its state count every step, which must not allocate. */
    private static final List<String> STATE_NAMES = List.of("h");

    static final String NONLINEARITY = "nonlinearity";
    static final Set<String> OPTIONS = Set.of(INIT, NONLINEARITY);

    private final boolean relu;

    RnnCell(CellSpec spec) {
        super(spec, 1);
        Options options = spec.options().requireOnly("cell 'rnn'", OPTIONS);
        this.relu = options.choice(NONLINEARITY, "tanh", Set.of("tanh", "relu")).equals("relu");
        initialize(options, spec.seed());
    }

    @Override
    public List<String> stateNames() {
        return STATE_NAMES;
    }

    @Override
    public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
        Var a = tape.add(tape.linear(x, p.get("weight_ih"), p.get("bias_ih")),
                tape.linear(state[0], p.get("weight_hh"), p.get("bias_hh")));
        return new Var[] {relu ? tape.relu(a) : tape.tanh(a)};
    }

    @Override
    boolean foldsHiddenBias() {
        return true;
    }

    @Override
    void rowForward(float[] g, int base, float[] rec, int rOff, float[][] state, int ch, float[] tanhC, int tc) {
        if (relu) {
            k.relu(hidden, g, base, g, base);
        } else {
            k.tanh(hidden, g, base, g, base);
        }
        System.arraycopy(g, base, state[0], ch, hidden);
    }

    @Override
    Backward recur(Run r) {
        final int hs = hidden;
        r.inParts((lo, hi) -> {
            r.beginPart(lo, hi);
            float[][] state = r.partState();
            float[] h = state[0];
            float[] g = r.partGates();
            for (int s = 0; s < r.t; s++) {
                int time = r.time(s);
                int off = r.gateOffset(time);
                if (r.training) {
                    r.keepHidden(lo, hi, time, h);
                }
                r.project(lo, hi, time, g);
                r.addRecurrent(lo, hi, h, g, off);
                for (int row = lo; row < hi; row++) {
                    if (r.active(row, time)) {
                        rowForward(g, off + row * r.gateStride, null, 0, state, row * hs, null, 0);
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
            float[] g = r.gatesBuf;
            float[] dG = r.gradientBuffer(D_GATES, hs);
            r.backwardSteps(dOutput, dh, dG, null, (gBase, sBase, ch) -> {
                if (relu) {
                    k.reluBackward(hs, g, gBase, dh, ch, dG, gBase);
                } else {
                    k.tanhBackward(hs, g, gBase, dh, ch, dG, gBase);
                }
            });
            r.writeInitialGradient(dInitial, 0, dh);
            r.parameterGradients(dG, dG, r.gh, null, dInput);
        };
    }
}
