package org.rnn4j.nn;

import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicReference;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.cell.StepKernel;

/**
 * Streaming inference: a unidirectional {@link Recurrent} layer advanced one step at a time for a
 * fixed batch, carrying its state across calls (Keras's {@code stateful}, DL4J's
 * {@code rnnTimeStep}). Memory stays flat however long the stream runs, and the built-in cells
 * allocate nothing per step while a step's products run on one thread (each below 2^22 flops:
 * {@code 2 * B * 4H * I} and {@code 2 * B * 4H * H} for LSTM, 3H for GRU, H for RNN; or a
 * one-thread pool); a product split over threads hands off to them with a few small objects.
 * A stream may keep copies of the weights made when it is created (the built-in cells take a
 * snapshot of all of them, packed), so after the weights change, by training or loading, open a
 * new stream. Not thread-safe: one stream per thread; the layer itself may serve many streams at
 * once. A call made while another thread is inside one of this stream's methods fails with a
 * {@link ConcurrentModificationException} instead of mixing states.
 */
public final class RecurrentStream {

    private final Recurrent layer;
    private final int batch;
    private final StepKernel[] kernels;
    private final Tensor[][] states;
    /** The thread inside a method of this stream, or null. */
    private final AtomicReference<Thread> user = new AtomicReference<>();

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
        Finite.require("RecurrentStream.step", "x", x);
        enter("step");
        try {
            kernels[0].step(x, states[0]);
            for (int l = 1; l < kernels.length; l++) {
                kernels[l].step(states[l - 1][0], states[l]);
            }
            return states[kernels.length - 1][0];
        } finally {
            user.set(null);
        }
    }

    /**
     * Marks this thread as the stream's user for the length of one call.
     *
     * @throws ConcurrentModificationException when another thread is inside a call
     */
    private void enter(String method) {
        Thread current = Thread.currentThread();
        if (!user.compareAndSet(null, current)) {
            Thread other = user.get();
            throw new ConcurrentModificationException("RecurrentStream." + method + ": thread '" + current.getName()
                    + "' called the stream while thread '" + (other == null ? "?" : other.getName())
                    + "' was using it; a stream belongs to one thread (open one per thread with Recurrent.stream)");
        }
    }

    /** Zeros every state of every sequence. */
    public void reset() {
        enter("reset");
        try {
            for (Tensor[] layerStates : states) {
                for (Tensor s : layerStates) {
                    s.fill(0f);
                }
            }
        } finally {
            user.set(null);
        }
    }

    /**
     * Zeros the state of one sequence, for example when a new stream starts in its slot.
     *
     * @throws IndexOutOfBoundsException when {@code row} is not in {@code [0, batch)}
     */
    public void reset(int row) {
        if (row < 0 || row >= batch) {
            throw new IndexOutOfBoundsException("RecurrentStream.reset: row must be in [0, " + batch + "), given " + row);
        }
        enter("reset");
        try {
            int h = layer.hiddenSize();
            for (Tensor[] layerStates : states) {
                for (Tensor s : layerStates) {
                    Arrays.fill(s.data(), row * h, (row + 1) * h, 0f);
                }
            }
        } finally {
            user.set(null);
        }
    }

    /** A copy of the state named {@code name} of every layer, {@code [L, B, H]}. */
    public Tensor state(String name) {
        int s = stateIndex(name);
        int size = batch * layer.hiddenSize();
        Tensor all = Tensor.zeros(states.length, batch, layer.hiddenSize());
        enter("state");
        try {
            for (int l = 0; l < states.length; l++) {
                System.arraycopy(states[l][s].data(), 0, all.data(), l * size, size);
            }
        } finally {
            user.set(null);
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
        Finite.require("RecurrentStream.setState", name, value);
        enter("setState");
        try {
            int size = batch * layer.hiddenSize();
            for (int l = 0; l < states.length; l++) {
                System.arraycopy(value.data(), l * size, states[l][s].data(), 0, size);
            }
        } finally {
            user.set(null);
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
