package org.rnn4j.bench;

import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.cell.CellProvider;

/**
 * A one-layer recurrent layer with seeded input {@code [B, T, I]} and output probe {@code R}, as
 * the peer measurements use them, and the two operations they time.
 *
 * @param layer the layer
 * @param x     the input
 * @param probe the upstream gradient of the output: the training loss is {@code sum(output * R)}
 */
record RecurrentWorkload(Recurrent layer, Tensor x, Tensor probe) {

    /**
     * Builds the workload for a shape written {@code BxTxIxH}.
     *
     * @param name     the cell's name, for messages
     * @param provider makes the cells
     */
    static RecurrentWorkload of(String shape, String name, CellProvider provider) {
        String[] d = shape.split("x");
        int b = Integer.parseInt(d[0]);
        int t = Integer.parseInt(d[1]);
        int i = Integer.parseInt(d[2]);
        int h = Integer.parseInt(d[3]);
        Recurrent layer = Recurrent.builder(name, provider).inputSize(i).hiddenSize(h).seed(1).build();
        SplittableRandom rng = new SplittableRandom(2);
        return new RecurrentWorkload(layer, random(rng, b, t, i), random(rng, b, t, h));
    }

    static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int k = 0; k < t.size(); k++) {
            t.data()[k] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    /** A forward pass that keeps nothing for backward. */
    Tensor inference() {
        return layer.forward(x).output();
    }

    /** Zeroed gradients, a forward pass and its backward pass, input gradient included. */
    Tensor trainingStep() {
        return trainingForward().backward(probe, null, null).input();
    }

    /** The first half of {@link #trainingStep}: zeroed gradients and a forward pass that keeps what backward needs. */
    RecurrentOutput trainingForward() {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        return layer.forward(x, null, null, true);
    }
}
