package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Tensor;

class LossesTest {

    private static Tensor random(SplittableRandom rng, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-scale, scale);
        }
        return t;
    }

    private static void gradientCheck(Tensor p, Function<Tensor, Losses.Loss> f) {
        Tensor g = f.apply(p).gradient();
        for (int i = 0; i < p.size(); i++) {
            float keep = p.data()[i];
            p.data()[i] = keep + 1e-3f;
            double up = f.apply(p).value();
            p.data()[i] = keep - 1e-3f;
            double down = f.apply(p).value();
            p.data()[i] = keep;
            assertEquals((up - down) / 2e-3, g.data()[i], 1e-3, "element " + i);
        }
    }

    @Test
    void regressionLossesHaveTheirGradients() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor t = random(rng, 1, 3, 4);
        gradientCheck(random(rng, 2, 3, 4), p -> Losses.mse(p, t));
        gradientCheck(random(rng, 2, 3, 4), p -> Losses.mae(p, t));
        gradientCheck(random(rng, 2, 3, 4), p -> Losses.huber(p, t, 0.5));
        assertEquals(2.5, Losses.mse(Tensor.wrap(new float[] {1, 3}, 2), Tensor.wrap(new float[] {0, 1}, 2)).value(), 1e-9);
        // |d| = 0.5 is inside delta (0.5 * 0.25), |d| = 3 outside (0.5 * (3 - 0.25)): mean 0.75.
        assertEquals(0.75, Losses.huber(Tensor.wrap(new float[] {0.5f, 3}, 2), Tensor.zeros(2), 0.5).value(), 1e-6);
    }

    @Test
    void crossEntropyIsStableMaskedAndSmoothed() {
        SplittableRandom rng = new SplittableRandom(2);
        int[] labels = {2, -1, 0, 4, -1, 1};
        gradientCheck(random(rng, 3, 2, 3, 5), p -> Losses.crossEntropy(p, labels, -1, 0.0));
        gradientCheck(random(rng, 3, 2, 3, 5), p -> Losses.crossEntropy(p, labels, -1, 0.1));
        // Huge logits stay finite; a confident right answer costs about nothing.
        Losses.Loss sure = Losses.crossEntropy(Tensor.wrap(new float[] {1e30f, 0f, -1e30f}, 1, 3), new int[] {0}, -1, 0);
        assertEquals(0.0, sure.value(), 1e-12);
        // Uniform logits cost log(C).
        assertEquals(Math.log(4), Losses.crossEntropy(Tensor.zeros(2, 4), new int[] {1, 3}, -1, 0).value(), 1e-6);
        // Ignored rows get no gradient.
        Losses.Loss masked = Losses.crossEntropy(random(rng, 1, 2, 3), new int[] {-1, 1}, -1, 0);
        for (int j = 0; j < 3; j++) {
            assertEquals(0f, masked.gradient().get(0, j));
        }
    }

    @Test
    void badLabelsAndShapesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}, -1, 0));
        assertTrue(e.getMessage().contains("label 3 at row 1 is outside [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(2, 3), new int[] {0}, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(1, 3), new int[] {-1}, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.mse(Tensor.zeros(2), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Losses.huber(Tensor.zeros(2), Tensor.zeros(2), 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.mse(Tensor.zeros(0), Tensor.zeros(0)));
    }
}
