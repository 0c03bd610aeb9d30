package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

class DenseEmbeddingTest {

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    @Test
    void denseOnEveryTimeStepMatchesFiniteDifferences() {
        Dense dense = new Dense(4, 3, 1);
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = random(rng, 2, 5, 4);
        Tensor probe = random(rng, 2, 5, 3);
        dense.parameters().forEach(Parameter::zeroGrad);
        Dense.Output out = dense.forward(x);
        assertArrayEquals(new int[] {2, 5, 3}, out.value().shape());
        Tensor dx = out.backward(probe);
        java.util.List<Tensor> targets = new java.util.ArrayList<>();
        java.util.List<Tensor> grads = new java.util.ArrayList<>();
        targets.add(x);
        grads.add(dx);
        for (Parameter p : dense.parameters()) {
            targets.add(p.value());
            grads.add(p.grad().copy());
        }
        assertEquals(3, targets.size(), "the input, the weight and the bias");
        double floor = 2e-3;
        for (int t = 0; t < targets.size(); t++) {
            float[] d = targets.get(t).data();
            double largest = 0;
            for (int i = 0; i < d.length; i++) {
                float keep = d[i];
                d[i] = keep + 1e-3f;
                double up = dot(dense.forward(x).value(), probe);
                d[i] = keep - 1e-3f;
                double down = dot(dense.forward(x).value(), probe);
                d[i] = keep;
                double numeric = (up - down) / 2e-3;
                largest = Math.max(largest, Math.abs(numeric));
                assertEquals(numeric, grads.get(t).data()[i], floor, "tensor " + t + " element " + i);
            }
            // Else a backward pass that returned zeros would pass within the floor.
            assertTrue(largest >= 10 * floor, "tensor " + t + ": the largest derivative, " + largest
                    + ", is too small for the tolerance " + floor + " to tell a right gradient from zero");
        }
    }

    @Test
    void denseRejectsTheWrongWidth() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dense(4, 3, 1).forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("must be 4") && e.getMessage().contains("[2, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, 3, 1));
    }

    @Test
    void embeddingLooksUpRowsAndSkipsPaddingInBackward() {
        Embedding emb = new Embedding(5, 3, 0, 7);
        float[] w = emb.parameters().get(0).value().data();
        assertArrayEquals(new float[] {0, 0, 0}, java.util.Arrays.copyOf(w, 3), "padding row starts at zero");
        int[][] ids = {{1, 4, 0}, {4, 0, 0}};
        Embedding.Output out = emb.forward(ids);
        assertEquals(w[4 * 3 + 2], out.value().get(0, 1, 2));
        assertEquals(0f, out.value().get(1, 2, 1));
        out.backward(Tensor.full(1f, 2, 3, 3));
        float[] g = emb.parameters().get(0).grad().data();
        assertEquals(0f, g[0], "no gradient for the padding id");
        assertEquals(1f, g[3]);
        assertEquals(2f, g[4 * 3], "id 4 appears twice");
    }

    @Test
    void embeddingAndOneHotNameBadIds() {
        Embedding emb = new Embedding(5, 3, -1, 7);
        var e = assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[][] {{1, 5}}));
        assertTrue(e.getMessage().contains("id 5 at [0, 1] is outside [0, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[][] {{1, 2}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 3, 5, 1));
        Tensor oh = Embedding.oneHot(new int[][] {{2, 0}}, 3);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, oh.data());
        assertThrows(IllegalArgumentException.class, () -> Embedding.oneHot(new int[][] {{-1}}, 3));
    }
}
