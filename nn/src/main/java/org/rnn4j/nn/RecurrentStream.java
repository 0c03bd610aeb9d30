package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.cell.StepKernel;

/**
 * Streaming inference: a unidirectional {@link Recurrent} layer advanced one step at a time for a
 * fixed batch, carrying its state across calls (Keras's {@code stateful}, DL4J's
 * {@code rnnTimeStep}). Memory stays flat however long the stream runs, and the built-in cells
 * allocate nothing per step. A stream reads the layer's weights as they are when it is created;
 * after further training, open a new stream. Not thread-safe: one stream per thread; the layer
 * itself may serve many streams at once.
 */
public final class RecurrentStream {

    private final Recurrent layer;
    private final int batch;
    private final StepKernel[] kernels;
    private final Tensor[][] states;

    RecurrentStream(Recurrent layer, int batch) {
        this.layer = layer;
        this.batch = batch;
        int layers = layer.layers();
        int count = layer.stateNames().size();
        this.kernels = new StepKernel[layers];
        this.states = new Tensor[layers][count];
        for (int l = 0; l < layers; l++) {
            kernels[l] = layer.cell(l, 0).stepKernel(batch);
            for (int s = 0; s < count; s++) {
                states[l][s] = Tensor.zeros(batch, layer.hiddenSize());
            }
        }
    }

    /** Sequences in the batch. */
    public int batch() {
        return batch;
    }

    /**
     * Advances every sequence by one step.
     *
     * @param x the input of this step, {@code [B, I]}
     * @return the top layer's hidden state {@code [B, H]}: a live view, overwritten by the next step
     * @throws IllegalArgumentException when {@code x}'s shape does not fit
     */
    public Tensor step(Tensor x) {
        Shapes.require("RecurrentStream.step", "x", x, batch, layer.inputSize());
        kernels[0].step(x, states[0]);
        for (int l = 1; l < kernels.length; l++) {
            kernels[l].step(states[l - 1][0], states[l]);
        }
        return states[kernels.length - 1][0];
    }

    /** Zeros every state of every sequence. */
    public void reset() {
        for (Tensor[] layerStates : states) {
            for (Tensor s : layerStates) {
                s.fill(0f);
            }
        }
    }

    /**
     * Zeros the state of one sequence, for example when a new stream starts in its slot.
     *
     * @throws IndexOutOfBoundsException when {@code row} is not in {@code [0, batch)}
     */
    public void reset(int row) {
        java.util.Objects.checkIndex(row, batch);
        int h = layer.hiddenSize();
        for (Tensor[] layerStates : states) {
            for (Tensor s : layerStates) {
                Arrays.fill(s.data(), row * h, (row + 1) * h, 0f);
            }
        }
    }

    /** A copy of the state named {@code name} of every layer, {@code [L, B, H]}. */
    public Tensor state(String name) {
        int s = stateIndex(name);
        int size = batch * layer.hiddenSize();
        Tensor all = Tensor.zeros(states.length, batch, layer.hiddenSize());
        for (int l = 0; l < states.length; l++) {
            System.arraycopy(states[l][s].data(), 0, all.data(), l * size, size);
        }
        return all;
    }

    /**
     * Sets the state named {@code name} of every layer from {@code [L, B, H]}.
     *
     * @throws IllegalArgumentException when the name or the shape does not fit
     */
    public void setState(String name, Tensor value) {
        int s = stateIndex(name);
        Shapes.require("RecurrentStream.setState", name, value, states.length, batch, layer.hiddenSize());
        int size = batch * layer.hiddenSize();
        for (int l = 0; l < states.length; l++) {
            System.arraycopy(value.data(), l * size, states[l][s].data(), 0, size);
        }
    }

    private int stateIndex(String name) {
        int s = layer.stateNames().indexOf(name);
        if (s < 0) {
            throw new IllegalArgumentException("unknown state '" + name + "'; the states are " + layer.stateNames());
        }
        return s;
    }
}
