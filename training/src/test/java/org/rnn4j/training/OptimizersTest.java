package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.optim.Optimizer;

class OptimizersTest {

    private static Parameter param(float value, float grad) {
        Parameter p = new Parameter("w", Tensor.wrap(new float[] {value}, 1));
        p.grad().data()[0] = grad;
        return p;
    }

    @Test
    void plainSgdStepsAgainstTheGradient() {
        Parameter p = param(1f, 0.5f);
        new Sgd().create(Options.empty()).step(List.of(p), 0.1);
        assertEquals(0.95f, p.value().data()[0], 1e-7);
    }

    @Test
    void momentumAndNesterovFollowPyTorch() {
        // grad constant 1, momentum 0.9, lr 0.1: buffers 1, 1.9, 2.71; Nesterov steps 1.9, 2.71, 3.439.
        Parameter p = param(0f, 1f);
        Parameter q = param(0f, 1f);
        Optimizer m = new Sgd().create(Options.of("momentum", "0.9"));
        Optimizer n = new Sgd().create(Options.of("momentum", "0.9", "nesterov", "true"));
        for (int i = 0; i < 3; i++) {
            m.step(List.of(p), 0.1);
            n.step(List.of(q), 0.1);
        }
        assertEquals(-(1 + 1.9 + 2.71) * 0.1, p.value().data()[0], 1e-6);
        assertEquals(-(1.9 + 2.71 + 3.439) * 0.1, q.value().data()[0], 1e-6);
    }

    @Test
    void adamFirstStepMovesByTheRateTimesTheSign() {
        Parameter p = param(1f, 3f);
        Parameter q = param(1f, -0.002f);
        new Adam().create(Options.empty()).step(List.of(p, q.renamed("v")), 0.01);
        assertEquals(0.99f, p.value().data()[0], 1e-6);
        assertEquals(1.01f, q.value().data()[0], 1e-6);
    }

    @Test
    void adamwDecaysTheWeightsDecoupled() {
        Parameter p = param(2f, 0f);
        new AdamW().create(Options.of("weight_decay", "0.5")).step(List.of(p), 0.1);
        assertEquals(2f * (1 - 0.1f * 0.5f), p.value().data()[0], 1e-6);
    }

    @Test
    void rmspropFollowsPyTorch() {
        // grad 1, alpha 0.99, lr 0.01: square_avg 0.01 then 0.0199, steps 1/sqrt(0.01) and 1/sqrt(0.0199).
        Parameter p = param(0f, 1f);
        Optimizer plain = new RmsProp().create(Options.empty());
        plain.step(List.of(p), 0.01);
        assertEquals(-0.1, p.value().data()[0], 1e-6);
        plain.step(List.of(p), 0.01);
        assertEquals(-0.1 - 0.01 / Math.sqrt(0.0199), p.value().data()[0], 1e-6);
        // Centered: the variance is 0.01 - 0.01^2; momentum 0.5 adds half the previous step.
        Parameter q = param(0f, 1f);
        Optimizer centered = new RmsProp().create(Options.of("centered", "true", "momentum", "0.5"));
        centered.step(List.of(q), 0.01);
        double first = 1 / Math.sqrt(0.0099);
        assertEquals(-0.01 * first, q.value().data()[0], 1e-6);
        centered.step(List.of(q), 0.01);
        double second = 1 / Math.sqrt(0.0199 - 0.0199 * 0.0199);
        assertEquals(-0.01 * first - 0.01 * (0.5 * first + second), q.value().data()[0], 1e-5);
    }

    @Test
    void adagradFollowsPyTorch() {
        // grad 2, lr 0.1: sum 4 then 8; with lr_decay 0.5 the second step's rate is 0.1 / 1.5.
        Parameter p = param(0f, 2f);
        Optimizer adagrad = new Adagrad().create(Options.of("lr_decay", "0.5"));
        adagrad.step(List.of(p), 0.1);
        assertEquals(-0.1, p.value().data()[0], 1e-6);
        adagrad.step(List.of(p), 0.1);
        assertEquals(-0.1 - 0.1 / 1.5 * 2 / Math.sqrt(8), p.value().data()[0], 1e-6);
        Parameter q = param(0f, 2f);
        new Adagrad().create(Options.of("initial_accumulator_value", "5")).step(List.of(q), 0.1);
        assertEquals(-0.1 * 2 / 3, q.value().data()[0], 1e-6);
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Parameter a = new Parameter("w", Tensor.wrap(new float[] {1f, -2f, 3f}, 3));
        Optimizer first = new Adam().create(Options.empty());
        for (int i = 0; i < 3; i++) {
            a.grad().data()[0] = 0.3f * i;
            a.grad().data()[1] = -0.1f;
            a.grad().data()[2] = 1f;
            first.step(List.of(a), 0.01);
        }
        Map<String, Tensor> saved = first.state();
        Parameter b = new Parameter("w", a.value().copy());
        b.grad().copyFrom(a.grad());
        Optimizer second = new Adam().create(Options.empty());
        second.loadState(saved);
        assertEquals(3, second.steps());
        first.step(List.of(a), 0.01);
        second.step(List.of(b), 0.01);
        assertArrayEquals(a.value().data(), b.value().data());
    }

    @Test
    void stateRoundTripKeepsEachParametersStepCount() {
        Parameter w = new Parameter("w", Tensor.wrap(new float[] {1f, -2f}, 2));
        Parameter v = new Parameter("v", Tensor.wrap(new float[] {0.5f}, 1));
        Optimizer first = new Adam().create(Options.empty());
        for (int i = 0; i < 3; i++) {
            w.grad().data()[0] = 0.3f * i - 0.2f;
            w.grad().data()[1] = 1f;
            v.grad().data()[0] = -0.7f;
            first.step(i < 2 ? List.of(w) : List.of(w, v), 0.01); // v joins at the third step
        }
        Map<String, Tensor> saved = first.state();
        assertEquals(3, steps(saved, "step.w"));
        assertEquals(1, steps(saved, "step.v"));

        Parameter w2 = new Parameter("w", w.value().copy());
        Parameter v2 = new Parameter("v", v.value().copy());
        w2.grad().copyFrom(w.grad());
        v2.grad().copyFrom(v.grad());
        Optimizer second = new Adam().create(Options.empty());
        second.loadState(saved);
        first.step(List.of(w, v), 0.01);
        second.step(List.of(w2, v2), 0.01);
        assertArrayEquals(w.value().data(), w2.value().data());
        assertArrayEquals(v.value().data(), v2.value().data());

        // A state saved before parameters counted their own steps: each took every step.
        Map<String, Tensor> legacy = new java.util.LinkedHashMap<>(saved);
        legacy.keySet().removeIf(k -> k.startsWith("step."));
        Optimizer third = new Adam().create(Options.empty());
        third.loadState(legacy);
        assertEquals(3, steps(third.state(), "step.v"));
    }

    /** A step count, which the state stores as a long's bits in two floats. */
    private static long steps(Map<String, Tensor> state, String key) {
        float[] s = state.get(key).data();
        return (Float.floatToRawIntBits(s[0]) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(s[1]) << 32);
    }

    @Test
    void badOptionsAndStatesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam().create(Options.of("beta_1", "0.9")));
        assertTrue(e.getMessage().contains("beta_1") && e.getMessage().contains("beta1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd().create(Options.of("nesterov", "true")));
        var momentum = assertThrows(IllegalArgumentException.class, () -> new Sgd().create(Options.of("momentum", "1.5")));
        assertEquals("optimizer 'sgd': option momentum must be in [0.0, 1.0], given 1.5", momentum.getMessage());
        var beta = assertThrows(IllegalArgumentException.class, () -> new Adam().create(Options.of("beta2", "1.5")));
        assertTrue(beta.getMessage().startsWith("optimizer 'adam': option beta2 must be in [0.0, "), beta.getMessage());
        Optimizer sgd = new Sgd().create(Options.empty());
        assertThrows(IllegalArgumentException.class, () -> sgd.step(List.of(param(0, 0)), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(Map.of("exp_avg.w", Tensor.zeros(1),
                "step", Tensor.zeros(2))));
        var count = assertThrows(IllegalArgumentException.class, () -> new Adam().create(Options.empty())
                .loadState(Map.of("step", Tensor.zeros(2), "step.w", Tensor.zeros(3))));
        assertEquals("optimizer state: 'step.w' has shape [3], a step count has shape [2]", count.getMessage());
    }
}
