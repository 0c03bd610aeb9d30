package org.rnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.cell.SequenceKernel;

/**
 * What one {@link Recurrent#forward} produced: the output sequence (Keras's
 * {@code return_sequences}), the last output of each sequence, the final states (Keras's
 * {@code return_state}, PyTorch's {@code h_n}, {@code c_n}), and the backward pass when it ran in
 * training mode.
 */
public final class RecurrentOutput {

    /** Everything a forward run keeps for its backward pass. */
    static final class Run {
        final Recurrent layer;
        final int b;
        final int t;
        final boolean training;
        final SequenceKernel.Backward[] backwards;
        final Tensor[] outputs;
        final Tensor[][] finals;
        final float[][] dropoutMasks;

        Run(Recurrent layer, int b, int t, boolean training) {
            int slots = layer.layers() * layer.directions();
            this.layer = layer;
            this.b = b;
            this.t = t;
            this.training = training;
            this.backwards = new SequenceKernel.Backward[slots];
            this.outputs = new Tensor[slots];
            this.finals = new Tensor[slots][];
            this.dropoutMasks = new float[layer.layers()][];
        }
    }

    /**
     * Gradients for the inputs of a forward run.
     *
     * @param input        gradient for the input, {@code [B, T, I]}
     * @param initialState gradient for each initial state by name, {@code [L*D, B, H]}
     */
    public record Gradients(Tensor input, Map<String, Tensor> initialState) {
    }

    private final Run run;
    private final Tensor output;
    private boolean backwardDone;

    RecurrentOutput(Run run, Tensor output) {
        this.run = run;
        this.output = output;
    }

    /** Output of the top layer at every step, {@code [B, T, outputSize]}; zeros at padded steps. */
    public Tensor output() {
        return output;
    }

    /**
     * The final state named {@code name} ({@code h} or {@code c}) of every layer and direction,
     * {@code [L*D, B, H]}, slice {@code l*D + d}. For a padded sequence it is the state after its
     * own last real step (in reverse direction, after step 0).
     */
    public Tensor finalState(String name) {
        int s = stateIndex(name);
        Recurrent layer = run.layer;
        int size = run.b * layer.hiddenSize();
        Tensor all = Tensor.zeros(run.finals.length, run.b, layer.hiddenSize());
        for (int slot = 0; slot < run.finals.length; slot++) {
            System.arraycopy(run.finals[slot][s].data(), 0, all.data(), slot * size, size);
        }
        return all;
    }

    /** Every final state by name, in the cell's order. */
    public Map<String, Tensor> finalStates() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String name : run.layer.stateNames()) {
            m.put(name, finalState(name));
        }
        return m;
    }

    /**
     * The top layer's output at each sequence's last real step, {@code [B, outputSize]}: the forward
     * direction's final hidden state merged with the reverse direction's (which ends at step 0).
     * What a many-to-one model feeds its head.
     */
    public Tensor last() {
        Recurrent layer = run.layer;
        int top = (layer.layers() - 1) * layer.directions();
        Tensor[] tops = new Tensor[layer.directions()];
        for (int d = 0; d < tops.length; d++) {
            tops[d] = run.finals[top + d][0].reshape(run.b, 1, layer.hiddenSize());
        }
        Tensor[] padded = new Tensor[run.outputs.length];
        System.arraycopy(tops, 0, padded, top, tops.length);
        Tensor merged = layer.mergeDirections(padded, layer.layers() - 1, run.b, 1).reshape(run.b, layer.outputSize());
        // One direction merges nothing: the result is a view of the final state, which finalState copies from.
        return layer.directions() == 1 ? merged.copy() : merged;
    }

    /**
     * Back-propagates through the run. Parameter gradients accumulate into the layer's parameters.
     * The layer's weights must be those of the forward pass: the backward pass reads them again.
     * Arguments are checked before anything runs; an exception from a cell's own backward pass (a
     * plugin's) can leave the parameter gradients partly accumulated, and the run cannot be
     * back-propagated again: zero the gradients and run forward anew.
     *
     * @param dOutput     gradient for {@link #output()}, or null
     * @param dLast       gradient for {@link #last()}, or null
     * @param dFinalState gradients for final states by name ({@code [L*D, B, H]}), or null
     * @return the gradients for the input and every initial state
     * @throws IllegalStateException when the forward pass did not run in training mode, or backward ran already
     * @throws IllegalArgumentException when a gradient's shape does not fit
     */
    public Gradients backward(Tensor dOutput, Tensor dLast, Map<String, Tensor> dFinalState) {
        if (!run.training) {
            throw new IllegalStateException("backward: the forward pass ran for inference; call forward(..., training = true)");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward: already ran for this forward pass");
        }
        Recurrent layer = run.layer;
        String op = "Recurrent '" + layer.cellName() + "'.backward";
        int h = layer.hiddenSize();
        int dirs = layer.directions();
        int states = layer.stateNames().size();
        int b = run.b;
        int t = run.t;
        if (dOutput != null) {
            Shapes.require(op, "dOutput", dOutput, b, t, layer.outputSize());
        }
        // Upstream gradients of final states, per slot and state, as [B, H] tensors.
        Tensor[][] dFinal = new Tensor[run.finals.length][states];
        if (dFinalState != null) {
            for (Map.Entry<String, Tensor> e : dFinalState.entrySet()) {
                int s = stateIndex(e.getKey());
                if (e.getValue() == null) {
                    throw new IllegalArgumentException(op + ": dFinalState '" + e.getKey() + "' is null; leave the key out"
                            + " for no gradient");
                }
                Shapes.require(op, "dFinalState '" + e.getKey() + "'", e.getValue(), run.finals.length, b, h);
                for (int slot = 0; slot < run.finals.length; slot++) {
                    dFinal[slot][s] = Tensor.wrap(java.util.Arrays.copyOfRange(e.getValue().data(),
                            slot * b * h, (slot + 1) * b * h), b, h);
                }
            }
        }
        if (dLast != null) {
            Shapes.require(op, "dLast", dLast, b, layer.outputSize());
            int top = (layer.layers() - 1) * dirs;
            Tensor[] split = splitMerged(dLast.reshape(b, 1, layer.outputSize()), top, b, 1, true);
            for (int d = 0; d < dirs; d++) {
                Tensor g = split[d].reshape(b, h);
                if (dFinal[top + d][0] == null) {
                    dFinal[top + d][0] = g;
                } else {
                    org.rnn4j.core.Ops.using(org.rnn4j.core.kernel.Kernels.get()).axpy(1f, g, dFinal[top + d][0]);
                }
            }
        }
        // Set only now: a call refused above changed nothing and may be made again, corrected.
        backwardDone = true;
        Map<String, Tensor> dInitial = new LinkedHashMap<>();
        for (String name : layer.stateNames()) {
            dInitial.put(name, Tensor.zeros(run.finals.length, b, h));
        }
        Tensor dY = dOutput;
        Tensor dInput = null;
        for (int l = layer.layers() - 1; l >= 0; l--) {
            int in = l == 0 ? layer.inputSize() : layer.outputSize();
            Tensor dX = Tensor.zeros(b, t, in);
            Tensor[] dYd = dY == null ? new Tensor[dirs] : splitMerged(dY, l * dirs, b, t, false);
            for (int d = 0; d < dirs; d++) {
                int slot = l * dirs + d;
                Tensor[] dInit = new Tensor[states];
                for (int s = 0; s < states; s++) {
                    dInit[s] = Tensor.zeros(b, h);
                }
                run.backwards[slot].run(dYd[d], dFinal[slot], dX, dInit);
                for (int s = 0; s < states; s++) {
                    System.arraycopy(dInit[s].data(), 0, dInitial.get(layer.stateNames().get(s)).data(),
                            slot * b * h, b * h);
                }
            }
            float[] mask = run.dropoutMasks[l];
            if (mask != null) {
                for (int i = 0; i < mask.length; i++) {
                    dX.data()[i] *= mask[i];
                }
            }
            dY = dX;
            dInput = dX;
        }
        return new Gradients(dInput, dInitial);
    }

    /**
     * Splits the gradient of a merged output into one gradient per direction.
     *
     * @param slot0   slot of the forward direction of the layer
     * @param finals  whether the merged values are final states (for {@link Merge#MUL}'s other factor)
     */
    private Tensor[] splitMerged(Tensor dMerged, int slot0, int b, int t, boolean finals) {
        Recurrent layer = run.layer;
        int h = layer.hiddenSize();
        if (layer.directions() == 1) {
            return new Tensor[] {dMerged.reshape(b, t, h)};
        }
        Tensor f = Tensor.zeros(b, t, h);
        Tensor r = Tensor.zeros(b, t, h);
        float[] g = dMerged.data();
        switch (layer.merge()) {
            case CONCAT -> {
                for (int row = 0; row < b * t; row++) {
                    System.arraycopy(g, row * 2 * h, f.data(), row * h, h);
                    System.arraycopy(g, row * 2 * h + h, r.data(), row * h, h);
                }
            }
            case SUM -> {
                System.arraycopy(g, 0, f.data(), 0, g.length);
                System.arraycopy(g, 0, r.data(), 0, g.length);
            }
            case AVERAGE -> {
                for (int i = 0; i < g.length; i++) {
                    f.data()[i] = 0.5f * g[i];
                    r.data()[i] = 0.5f * g[i];
                }
            }
            case MUL -> {
                float[] yf = finals ? run.finals[slot0][0].data() : run.outputs[slot0].data();
                float[] yr = finals ? run.finals[slot0 + 1][0].data() : run.outputs[slot0 + 1].data();
                for (int i = 0; i < g.length; i++) {
                    f.data()[i] = g[i] * yr[i];
                    r.data()[i] = g[i] * yf[i];
                }
            }
        }
        return new Tensor[] {f, r};
    }

    private int stateIndex(String name) {
        List<String> names = run.layer.stateNames();
        int s = names.indexOf(name);
        if (s < 0) {
            throw new IllegalArgumentException("unknown state '" + name + "'; the states are " + names);
        }
        return s;
    }
}
