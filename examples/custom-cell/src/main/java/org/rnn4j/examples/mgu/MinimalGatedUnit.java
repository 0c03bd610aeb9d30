package org.rnn4j.examples.mgu;

import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.spi.cell.CellParameters;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.Init;
import org.rnn4j.spi.cell.RecurrentCell;

/**
 * The minimal gated unit (Zhou et al. 2016), one gate instead of GRU's two:
 * {@code f = σ(W_f x + b_f + U_f h)}, {@code n = tanh(W_n x + b_n + U_n (f ⊙ h))},
 * {@code h' = (1 - f) ⊙ h + f ⊙ n}. Only the step is written; rnn4j derives its backward pass.
 */
final class MinimalGatedUnit implements RecurrentCell {

    private final int hidden;
    private final Parameter weightIh;
    private final Parameter biasIh;
    private final Parameter weightHf;
    private final Parameter weightHn;

    MinimalGatedUnit(CellSpec spec) {
        spec.options().requireOnly("cell 'mgu'", java.util.Set.of());
        this.hidden = spec.hiddenSize();
        int in = spec.inputSize();
        this.weightIh = Parameter.zeros("weight_ih", 2 * hidden, in);
        this.biasIh = Parameter.zeros("bias_ih", 2 * hidden);
        this.weightHf = Parameter.zeros("weight_hf", hidden, hidden);
        this.weightHn = Parameter.zeros("weight_hn", hidden, hidden);
        SplittableRandom rng = new SplittableRandom(spec.seed());
        Init.glorotUniform(weightIh.value(), 2, rng);
        Init.orthogonal(weightHf.value(), 1, rng);
        Init.orthogonal(weightHn.value(), 1, rng);
    }

    @Override
    public int inputSize() {
        return weightIh.value().dim(1);
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public List<String> stateNames() {
        return List.of("h");
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weightIh, biasIh, weightHf, weightHn);
    }

    @Override
    public Var[] step(Tape tape, CellParameters p, Var x, Var[] state) {
        Var h = state[0];
        Var gx = tape.linear(x, p.get("weight_ih"), p.get("bias_ih"));
        Var f = tape.sigmoid(tape.add(tape.slice(gx, 0, hidden), tape.linear(h, p.get("weight_hf"), null)));
        Var n = tape.tanh(tape.add(tape.slice(gx, hidden, 2 * hidden),
                tape.linear(tape.mul(f, h), p.get("weight_hn"), null)));
        return new Var[] {tape.add(tape.mul(tape.oneMinus(f), h), tape.mul(f, n))};
    }
}
