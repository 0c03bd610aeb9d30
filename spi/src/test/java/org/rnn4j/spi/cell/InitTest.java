package org.rnn4j.spi.cell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Tensor;

class InitTest {

    @Test
    void orthogonalGivesEachGateBlockItsOwnOrthogonalMatrix() {
        int n = 7;
        Tensor w = Tensor.zeros(3 * n, n);
        Init.orthogonal(w, 3, new SplittableRandom(5));
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int k = 0; k < n; k++) {
                        dot += (double) w.get(g * n + k, i) * w.get(g * n + k, j);
                    }
                    assertEquals(i == j ? 1.0 : 0.0, dot, 1e-5, "block " + g + ", Q^T Q at (" + i + ", " + j + ")");
                }
            }
        }
        assertFalse(w.get(0, 0) == w.get(n, 0) && w.get(0, 1) == w.get(n, 1), "the blocks are drawn separately");
        Tensor again = Tensor.zeros(3 * n, n);
        Init.orthogonal(again, 3, new SplittableRandom(5));
        assertArrayEquals(w.data(), again.data(), "one seed, one matrix");
    }

    @Test
    void identityAndFillGateWriteTheirBlocksOnly() {
        Tensor w = Tensor.full(9f, 4, 2);
        Init.identity(w, 2, 0.5f);
        assertArrayEquals(new float[] {0.5f, 0, 0, 0.5f, 0.5f, 0, 0, 0.5f}, w.data());
        Tensor bias = Tensor.zeros(6);
        Init.fillGate(bias, 1, 2, 1f);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, bias.data());
    }

    @Test
    void glorotUniformStaysWithinTheLimitOfOneGateBlock() {
        Tensor w = Tensor.zeros(4 * 5, 3);
        Init.glorotUniform(w, 4, new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / (3 + 5));
        double largest = 0;
        for (float v : w.data()) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest <= limit, "largest " + largest + " exceeds " + limit);
        assertTrue(largest > limit / 2, "60 draws should come near the limit, largest " + largest);
    }

    @Test
    void misShapedWeightsAndBadArgumentsAreNamed() {
        SplittableRandom rng = new SplittableRandom(1);
        String square = assertThrows(IllegalArgumentException.class, () -> Init.identity(Tensor.zeros(5, 2), 2, 1f))
                .getMessage();
        assertTrue(square.contains("[5, 2]") && square.contains("2 square blocks of [2, 2]"), square);
        String orthogonal = assertThrows(IllegalArgumentException.class,
                () -> Init.orthogonal(Tensor.zeros(6), 1, rng)).getMessage();
        assertTrue(orthogonal.contains("[6]"), orthogonal);
        String blocks = assertThrows(IllegalArgumentException.class,
                () -> Init.glorotUniform(Tensor.zeros(7, 3), 2, rng)).getMessage();
        assertTrue(blocks.contains("[7, 3]") && blocks.contains("2 gate blocks"), blocks);
        assertThrows(IllegalArgumentException.class, () -> Init.glorotUniform(Tensor.zeros(4, 3), 0, rng));
        String gate = assertThrows(IllegalArgumentException.class, () -> Init.fillGate(Tensor.zeros(6), 3, 2, 1f))
                .getMessage();
        assertTrue(gate.contains("gate 3") && gate.contains("[6]"), gate);
        String limit = assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(2), 0, rng))
                .getMessage();
        assertTrue(limit.contains("given 0.0"), limit);
    }
}
