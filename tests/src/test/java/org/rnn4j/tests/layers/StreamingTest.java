package org.rnn4j.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.nn.RecurrentStream;

class StreamingTest {

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn", "mgu"})
    void stepByStepEqualsTheWholeSequence(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(3).hiddenSize(5).layers(2).seed(4).build();
        SplittableRandom rng = new SplittableRandom(3);
        int b = 2;
        int t = 7;
        Tensor x = Tensor.zeros(b, t, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        RecurrentOutput whole = layer.forward(x);
        RecurrentStream stream = layer.stream(b);
        Tensor xt = Tensor.zeros(b, 3);
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(x.data(), (r * t + s) * 3, xt.data(), r * 3, 3);
            }
            Tensor h = stream.step(xt);
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(whole.output().get(r, s, j), h.get(r, j), 1e-5, cell + " step " + s);
                }
            }
        }
        for (String name : layer.stateNames()) {
            assertArrayEquals(whole.finalState(name).data(), stream.state(name).data(), 1e-5f, name);
        }
        stream.reset(1);
        assertEquals(0f, stream.state("h").get(1, 1, 0));
        stream.reset();
        assertEquals(0f, stream.state("h").get(0, 0, 0));
    }

    @Test
    void bidirectionalLayersCannotStream() {
        Recurrent bi = Recurrent.builder("gru").inputSize(1).hiddenSize(2).bidirectional(true).build();
        assertThrows(IllegalStateException.class, () -> bi.stream(1));
        Recurrent uni = Recurrent.builder("gru").inputSize(1).hiddenSize(2).build();
        assertThrows(IllegalArgumentException.class, () -> uni.stream(0));
        assertThrows(IllegalArgumentException.class, () -> uni.stream(2).step(Tensor.zeros(3, 1)));
        var row = assertThrows(IndexOutOfBoundsException.class, () -> uni.stream(2).reset(2));
        assertEquals("RecurrentStream.reset: row must be in [0, 2), given 2", row.getMessage());
    }
}
