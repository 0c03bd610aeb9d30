package org.rnn4j.tests.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;

class AttentionTest {

    /** The built-in scorers, and {@code low-rank}, the third-party scorer of examples/custom-cell found by name. */
    @ParameterizedTest
    @ValueSource(strings = {"dot", "scaled-dot", "general", "additive", "low-rank"})
    void gradientsMatchFiniteDifferences(String scorer) {
        int hq = scorer.contains("dot") ? 4 : 3;
        Attention att = Attention.create(scorer, hq, 4, 5, Options.empty(), 2);
        SplittableRandom rng = new SplittableRandom(8);
        Tensor q = random(rng, 2, hq);
        Tensor keys = random(rng, 2, 6, 4);
        int[] lengths = {6, 3};
        Tensor pc = random(rng, 2, 4);
        Tensor pw = random(rng, 2, 6);
        att.parameters().forEach(Parameter::zeroGrad);
        Attention.Gradients g = att.forward(q, keys, lengths, true).backward(pc, pw);
        java.util.function.DoubleSupplier loss = () -> {
            Attention.Step s = att.forward(q, keys, lengths, false);
            double v = 0;
            for (int i = 0; i < pc.size(); i++) {
                v += (double) s.context().data()[i] * pc.data()[i];
            }
            for (int i = 0; i < pw.size(); i++) {
                v += (double) s.weights().data()[i] * pw.data()[i];
            }
            return v;
        };
        check(q, g.query(), loss);
        check(keys, g.keys(), loss);
        for (Parameter p : att.parameters()) {
            check(p.value(), p.grad().copy(), loss);
        }
    }

    private static void check(Tensor target, Tensor analytic, java.util.function.DoubleSupplier loss) {
        float[] d = target.data();
        for (int i = 0; i < d.length; i++) {
            float keep = d[i];
            d[i] = keep + 1e-3f;
            double up = loss.getAsDouble();
            d[i] = keep - 1e-3f;
            double down = loss.getAsDouble();
            d[i] = keep;
            double num = (up - down) / 2e-3;
            assertEquals(num, analytic.data()[i], 2e-3 + 2e-3 * Math.abs(num), "element " + i);
        }
    }

    @Test
    void aSinglePositionGetsWeightOneAndNoScoreGradient() {
        Attention att = Attention.create("general", 3, 4, 0, Options.empty(), 2);
        SplittableRandom rng = new SplittableRandom(3);
        Tensor q = random(rng, 1, 3);
        Tensor keys = random(rng, 1, 5, 4);
        att.parameters().forEach(Parameter::zeroGrad);
        Attention.Step s = att.forward(q, keys, new int[] {1}, true);
        assertEquals(1f, s.weights().get(0, 0));
        for (int j = 0; j < 4; j++) {
            assertEquals(keys.get(0, 0, j), s.context().get(0, j));
        }
        Attention.Gradients g = s.backward(null, Tensor.full(1f, 1, 5));
        assertEquals(0.0, org.rnn4j.core.Ops.get().norm2(g.query()), 1e-7, "no gradient through a fixed weight of 1");
    }

    @Test
    void scoresThatOverflowAreNamedNotTurnedIntoNaNWeights() {
        // Finite inputs whose dot product passes the float range: the softmax would give NaN weights.
        Attention att = Attention.create("dot", 4, 4, 0, Options.empty(), 1);
        var e = assertThrows(org.rnn4j.core.NonFiniteValueException.class,
                () -> att.forward(Tensor.full(1e19f, 1, 4), Tensor.full(1e19f, 1, 2, 4), null, false));
        assertTrue(e.getMessage().startsWith("Attention.forward: scorer 'dot': scores holds Infinity"), e.getMessage());
    }

    @Test
    void errorsNameWhatIsWrong() {
        var sizes = assertThrows(IllegalArgumentException.class, () -> Attention.create("dot", 3, 4, 0, Options.empty(), 1));
        assertTrue(sizes.getMessage().contains("equal query and key sizes"), sizes.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Attention.create("bilinear", 3, 4, 0,
                Options.empty(), 1));
        // The list also holds plugins on the module path (examples/custom-cell's low-rank).
        assertTrue(unknown.getMessage().contains("known attention scorers: additive, dot, general, ")
                && unknown.getMessage().contains("scaled-dot"), unknown.getMessage());
        Attention att = Attention.create("dot", 4, 4, 0, Options.empty(), 1);
        var len = assertThrows(IllegalArgumentException.class,
                () -> att.forward(Tensor.zeros(2, 4), Tensor.zeros(2, 3, 4), new int[] {3, 0}, false));
        assertTrue(len.getMessage().contains("lengths[1] must be in [1, 3], given 0"), len.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> att.forward(Tensor.zeros(2, 5), Tensor.zeros(2, 3, 4), null, false));
        assertTrue(shape.getMessage().contains("query must have shape [2, 4], given [2, 5]"), shape.getMessage());
        assertTrue(Registries.scorers().names().containsAll(java.util.List.of("dot", "scaled-dot", "general", "additive")));
    }
}
