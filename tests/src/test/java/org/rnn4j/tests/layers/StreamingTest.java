package org.rnn4j.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

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
        Tensor x = random(rng, b, t, 3);
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
        // reset(1) zeros row 1 of every state of every layer, and leaves row 0 as it was, bit for bit.
        java.util.Map<String, Tensor> before = new java.util.LinkedHashMap<>();
        for (String name : layer.stateNames()) {
            before.put(name, stream.state(name));
        }
        stream.reset(1);
        for (String name : layer.stateNames()) {
            Tensor now = stream.state(name);
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(before.get(name).get(l, 0, j), now.get(l, 0, j), 0f, name + " layer " + l + " row 0 kept");
                    assertEquals(0f, now.get(l, 1, j), 0f, name + " layer " + l + " row 1 zeroed");
                    assertTrue(before.get(name).get(l, 1, j) != 0f,
                            name + " layer " + l + " row 1 was not zero before, so the reset shows");
                }
            }
        }
        // Row 0 goes on as if nothing happened; row 1 starts afresh, as the first step of its own stream.
        RecurrentStream fresh = layer.stream(b);
        Tensor next = random(rng, b, 3);
        RecurrentOutput continued = layer.forward(append(x, next), null, null, false);
        Tensor h = stream.step(next).copy();
        Tensor first = fresh.step(next);
        for (int j = 0; j < 5; j++) {
            assertEquals(continued.output().get(0, t, j), h.get(0, j), 1e-5, "row 0 continues");
            assertEquals(first.get(1, j), h.get(1, j), 1e-5, "row 1 starts from zeros");
        }
        stream.reset();
        for (String name : layer.stateNames()) {
            for (float v : stream.state(name).data()) {
                assertEquals(0f, v, 0f, name + " after reset()");
            }
        }
    }

    /** {@code x} {@code [B, T, I]} with one more step {@code next} {@code [B, I]} at the end. */
    private static Tensor append(Tensor x, Tensor next) {
        int b = x.dim(0);
        int t = x.dim(1);
        int in = x.dim(2);
        Tensor longer = Tensor.zeros(b, t + 1, in);
        for (int r = 0; r < b; r++) {
            System.arraycopy(x.data(), r * t * in, longer.data(), r * (t + 1) * in, t * in);
            System.arraycopy(next.data(), r * in, longer.data(), (r * (t + 1) + t) * in, in);
        }
        return longer;
    }

    /**
     * A stream set to the final states of a whole-sequence forward pass continues that sequence:
     * streaming the rest gives the outputs and final states of one forward pass over the whole.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn", "mgu"})
    void setStateWithAForwardPassesFinalStateContinuesTheSequence(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(3).hiddenSize(5).layers(2).seed(6).build();
        SplittableRandom rng = new SplittableRandom(8);
        int b = 3;
        int head = 4;
        int t = 9;
        Tensor x = random(rng, b, t, 3);
        Tensor prefix = Tensor.zeros(b, head, 3);
        for (int r = 0; r < b; r++) {
            System.arraycopy(x.data(), r * t * 3, prefix.data(), r * head * 3, head * 3);
        }
        RecurrentOutput whole = layer.forward(x);
        RecurrentOutput start = layer.forward(prefix);
        RecurrentStream stream = layer.stream(b);
        for (String name : layer.stateNames()) {
            stream.setState(name, start.finalState(name));
            assertArrayEquals(start.finalState(name).data(), stream.state(name).data(), 0f, name + " set");
        }
        Tensor xt = Tensor.zeros(b, 3);
        for (int s = head; s < t; s++) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(x.data(), (r * t + s) * 3, xt.data(), r * 3, 3);
            }
            Tensor h = stream.step(xt);
            for (int r = 0; r < b; r++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(whole.output().get(r, s, j), h.get(r, j), 1e-5, cell + " step " + s + " row " + r);
                }
            }
        }
        for (String name : layer.stateNames()) {
            assertArrayEquals(whole.finalState(name).data(), stream.state(name).data(), 1e-5f, name);
        }
        // Without the state the continuation is another one: the check above can tell.
        RecurrentStream cold = layer.stream(b);
        for (int r = 0; r < b; r++) {
            System.arraycopy(x.data(), (r * t + head) * 3, xt.data(), r * 3, 3);
        }
        Tensor coldH = cold.step(xt);
        double diff = 0;
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < 5; j++) {
                diff = Math.max(diff, Math.abs(coldH.get(r, j) - whole.output().get(r, head, j)));
            }
        }
        assertTrue(diff > 1e-3, "a stream from zeros answers otherwise at step " + head + ": " + diff);
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
