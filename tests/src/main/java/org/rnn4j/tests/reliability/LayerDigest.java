package org.rnn4j.tests.reliability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;

/**
 * Child-JVM program for {@link ThreadCountTest}: runs forward and backward through a stacked,
 * bidirectional layer of each built-in cell on a batch large enough to be split over threads, with
 * padded rows and inputs wide enough for the gradient additions to be split too, and prints the
 * kernels' thread count and, per cell, a CRC of the raw bits of every output, final state and
 * gradient.
 */
public final class LayerDigest {

    private LayerDigest() {
    }

    /**
     * Prints {@code threads N}, then one {@code CELL CRC} line per cell.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println("threads " + Kernels.get().maxThreads());
        for (String cell : List.of("rnn", "lstm", "gru")) {
            System.out.println(cell + " " + digest(cell));
        }
    }

    private static long digest(String cell) {
        int b = 40;
        int t = 9;
        // Inputs wide enough that the LSTM's weight-gradient halves are added in pieces on two
        // threads, and the first layer's input-gradient product is split over them.
        int in = 700;
        int hidden = 48;
        Recurrent layer = Recurrent.builder(cell).inputSize(in).hiddenSize(hidden).layers(2).bidirectional(true)
                .seed(11).build();
        SplittableRandom rng = new SplittableRandom(5);
        int[] lengths = new int[b];
        for (int row = 0; row < b; row++) {
            lengths[row] = row % 4 == 0 ? t : 1 + rng.nextInt(t);
        }
        Tensor x = random(rng, b, t, in);
        Map<String, Tensor> h0 = new LinkedHashMap<>();
        Map<String, Tensor> dFinal = new LinkedHashMap<>();
        for (String s : layer.stateNames()) {
            h0.put(s, random(rng, 2 * layer.directions(), b, hidden));
            dFinal.put(s, random(rng, 2 * layer.directions(), b, hidden));
        }
        layer.parameters().forEach(Parameter::zeroGrad);
        RecurrentOutput out = layer.forward(x, lengths, h0, true);
        RecurrentOutput.Gradients g = out.backward(random(rng, b, t, layer.outputSize()),
                random(rng, b, layer.outputSize()), dFinal);
        CRC32 crc = new CRC32();
        add(crc, out.output());
        out.finalStates().values().forEach(s -> add(crc, s));
        add(crc, g.input());
        g.initialState().values().forEach(s -> add(crc, s));
        for (Parameter p : layer.parameters()) {
            add(crc, p.grad());
        }
        return crc.getValue();
    }

    private static void add(CRC32 crc, Tensor t) {
        for (float v : t.data()) {
            int bits = Float.floatToRawIntBits(v);
            crc.update(bits);
            crc.update(bits >>> 8);
            crc.update(bits >>> 16);
            crc.update(bits >>> 24);
        }
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }
}
