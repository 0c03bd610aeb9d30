package org.rnn4j.spi.cell;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;
import org.rnn4j.core.kernel.Kernels;

/**
 * Runs any cell's {@link RecurrentCell#step} over a sequence on a {@link Tape}, so its backward pass
 * is derived automatically. Masking is applied around the step: rows past their sequence's length
 * keep their previous state and output zeros.
 */
public final class AutogradSequenceKernel implements SequenceKernel {

    private final RecurrentCell cell;
    private final Kernels kernels;

    /** A kernel for {@code cell} on {@link Kernels#get()}. */
    public AutogradSequenceKernel(RecurrentCell cell) {
        this(cell, Kernels.get());
    }

    /** A kernel for {@code cell} on the given kernels. */
    public AutogradSequenceKernel(RecurrentCell cell, Kernels kernels) {
        this.cell = cell;
        this.kernels = kernels;
    }

    @Override
    public Backward forward(Tensor input, int[] lengths, boolean reverse, Tensor[] initialState,
                            Tensor output, Tensor[] finalState, boolean training) {
        SequenceArguments a = SequenceArguments.check(cell, input, lengths, initialState, output, finalState);
        int b = a.batch();
        int steps = a.steps();
        int in = a.input();
        int h = a.hidden();
        int states = finalState.length;
        Tape tape = new Tape(kernels);
        Map<String, Var> byName = new HashMap<>();
        for (Parameter p : cell.parameters()) {
            byName.put(p.name(), training ? tape.parameter(p) : tape.constant(p.value()));
        }
        CellParameters params = name -> {
            Var v = byName.get(name);
            if (v == null) {
                throw new IllegalArgumentException("cell has no parameter named '" + name + "'; it has "
                        + byName.keySet());
            }
            return v;
        };
        Var[] initial = new Var[states];
        for (int k = 0; k < states; k++) {
            Tensor s0 = initialState == null || initialState[k] == null ? Tensor.zeros(b, h) : initialState[k].copy();
            initial[k] = training ? tape.input(s0) : tape.constant(s0);
        }
        Var zeros = tape.constant(Tensor.zeros(b, h));
        Var[] xs = new Var[steps];
        Var[] outs = new Var[steps];
        Var[] state = initial.clone();
        boolean[] active = new boolean[b];
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            Tensor xt = Tensor.zeros(b, in);
            boolean anyPadding = false;
            for (int r = 0; r < b; r++) {
                System.arraycopy(input.data(), (r * steps + t) * in, xt.data(), r * in, in);
                active[r] = SequenceArguments.active(lengths, r, t);
                anyPadding |= !active[r];
            }
            xs[t] = training ? tape.input(xt) : tape.constant(xt);
            Var[] next = cell.step(tape, params, xs[t], state);
            checkStep(next, states, b, h);
            Var out = next[0];
            if (anyPadding) {
                for (int k = 0; k < states; k++) {
                    next[k] = tape.selectRows(active, next[k], state[k]);
                }
                out = tape.selectRows(active, next[0], zeros);
            }
            outs[t] = out;
            for (int r = 0; r < b; r++) {
                System.arraycopy(out.value().data(), r * h, output.data(), (r * steps + t) * h, h);
            }
            state = next;
        }
        for (int k = 0; k < states; k++) {
            finalState[k].copyFrom(state[k].value());
        }
        if (!training) {
            return null;
        }
        Var[] last = state;
        boolean[] ran = {false};
        return (dOutput, dFinalState, dInput, dInitialState) -> {
            a.checkBackward(states, dOutput, dFinalState, dInput, dInitialState);
            // A second pass would add the tape's gradients into the parameters and dInput again.
            if (ran[0]) {
                throw new IllegalStateException("the backward pass of a forward run may run only once; it already ran");
            }
            ran[0] = true;
            Var[] roots = new Var[steps + states];
            Tensor[] seeds = new Tensor[steps + states];
            for (int t = 0; t < steps; t++) {
                roots[t] = outs[t];
                if (dOutput != null) {
                    Tensor g = Tensor.zeros(b, h);
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(dOutput.data(), (r * steps + t) * h, g.data(), r * h, h);
                    }
                    seeds[t] = g;
                }
            }
            for (int k = 0; k < states; k++) {
                roots[steps + k] = last[k];
                seeds[steps + k] = dFinalState == null ? null : dFinalState[k];
            }
            tape.backward(roots, seeds);
            if (dInput != null) {
                for (int t = 0; t < steps; t++) {
                    float[] g = xs[t].grad().data();
                    for (int r = 0; r < b; r++) {
                        kernels.axpy(in, 1f, g, r * in, dInput.data(), (r * steps + t) * in);
                    }
                }
            }
            if (dInitialState != null) {
                for (int k = 0; k < states; k++) {
                    if (dInitialState[k] != null) {
                        dInitialState[k].copyFrom(initial[k].grad());
                    }
                }
            }
        };
    }

    /** A step kernel that runs {@code cell.step} on a fresh tape, without gradients. */
    static StepKernel stepKernel(RecurrentCell cell, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("stepKernel: batch must be >= 1, given " + batch);
        }
        AutogradSequenceKernel owner = new AutogradSequenceKernel(cell);
        return (x, state) -> {
            checkStepArguments(cell, batch, x, state);
            Tape tape = new Tape(owner.kernels);
            Map<String, Var> byName = new HashMap<>();
            for (Parameter p : cell.parameters()) {
                byName.put(p.name(), tape.constant(p.value()));
            }
            Var[] s = new Var[state.length];
            for (int k = 0; k < s.length; k++) {
                s[k] = tape.constant(state[k]);
            }
            Var[] next = cell.step(tape, name -> {
                Var v = byName.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("cell has no parameter named '" + name + "'");
                }
                return v;
            }, tape.constant(x), s);
            owner.checkStep(next, state.length, batch, cell.hiddenSize());
            // Every new state is read before any is written: a cell may return one of the states it
            // was given (the tape holds them without copying) in another slot, as h_prev' = h.
            Tensor[] values = new Tensor[state.length];
            for (int k = 0; k < state.length; k++) {
                values[k] = next[k].value().copy();
            }
            for (int k = 0; k < state.length; k++) {
                state[k].copyFrom(values[k]);
            }
        };
    }

    /** Validates the arguments of {@link StepKernel#step} for {@code cell}. */
    public static void checkStepArguments(RecurrentCell cell, int batch, Tensor x, Tensor[] state) {
        Shapes.require("step", "x", x, batch, cell.inputSize());
        if (state.length != cell.stateNames().size()) {
            throw new IllegalArgumentException("step: needs " + cell.stateNames().size() + " state tensors "
                    + cell.stateNames() + ", given " + state.length);
        }
        for (int k = 0; k < state.length; k++) {
            Tensor s = state[k];
            // Names the state only on failure: this runs every step, which must not allocate.
            if (s.rank() != 2 || s.dim(0) != batch || s.dim(1) != cell.hiddenSize()) {
                Shapes.require("step", "state '" + cell.stateNames().get(k) + "'", s, batch, cell.hiddenSize());
            }
        }
    }

    private void checkStep(Var[] next, int states, int b, int h) {
        if (next == null || next.length != states) {
            throw new IllegalStateException("cell " + cell.getClass().getName() + " returned "
                    + (next == null ? "null" : next.length + " state values") + " from step, expected " + states
                    + " " + List.copyOf(cell.stateNames()));
        }
        for (int k = 0; k < states; k++) {
            if (next[k] == null || !next[k].value().hasShape(b, h)) {
                throw new IllegalStateException("cell " + cell.getClass().getName() + " returned state '"
                        + cell.stateNames().get(k) + "' of shape "
                        + (next[k] == null ? "null" : java.util.Arrays.toString(next[k].shape()))
                        + " from step, expected [" + b + ", " + h + "]");
            }
        }
    }
}
