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
 * bidirectional layer of each built-in cell on batches large enough to be split over threads, with
 * padded rows, and prints the kernels' thread count and, per cell, a CRC of the raw bits of every
 * output, final state and gradient. The layer sizes cover both ways of summing the parameter
 * gradients: over each half of the batch then added (small layers), and over the whole batch with
 * the additions of large weight gradients split in pieces over threads.
 */
public final class LayerDigest {

    /** Layer sizes {@code {input, hidden}}: small, wide input, and large enough for whole-batch sums in every cell. */
    private static final int[][] SIZES = {{24, 48}, {700, 48}, {700, 320}};

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
            CRC32 crc = new CRC32();
            for (int[] size : SIZES) {
                digest(crc, cell, size[0], size[1]);
            }
            System.out.println(cell + " " + crc.getValue());
        }
    }

    private static void digest(CRC32 crc, String cell, int in, int hidden) {
        int b = 40;
        int t = 9;
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
        add(crc, out.output());
        out.finalStates().values().forEach(s -> add(crc, s));
        add(crc, g.input());
        g.initialState().values().forEach(s -> add(crc, s));
        for (Parameter p : layer.parameters()) {
            add(crc, p.grad());
        }
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
