package org.rnn4j.tests;

import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

/** Seeded data the tests share: random tensors, and weights moved away from their initialization. */
public final class TestTensors {

    private TestTensors() {
    }

    /** A tensor of {@code shape} drawn uniformly from [-1, 1). */
    public static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    /**
     * Moves every weight away from its seeded initialization (scaled by 1.5 to 2.5, shifted by up
     * to 0.1), so that a load which rebuilt a model from its seeds without reading the weights is
     * caught.
     */
    public static void perturb(List<Parameter> parameters) {
        SplittableRandom rng = new SplittableRandom(7);
        for (Parameter p : parameters) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * (float) (1.5 + rng.nextDouble()) + (float) rng.nextDouble(-0.1, 0.1);
            }
        }
    }
}
