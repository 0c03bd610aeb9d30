package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.nn.RecurrentStream;

/**
 * Saturating activations stay finite at extreme inputs: +-1e30 (and the largest floats) into
 * LSTM, GRU and tanh-RNN layers give finite outputs, states and gradients, through the sequence
 * kernels and the streaming step. The tests module runs this class twice, once on the SIMD kernels
 * and once with {@code -Drnn4j.kernels=scalar} (see tests/pom.xml); the activation kernels
 * themselves are checked on both implementations in each run.
 */
class SaturationTest {

    private static final float[] EXTREMES = {1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e20f, -3e25f};

    @Test
    void theKernelsUnderTestAreTheOnesTheRunAskedFor() {
        String wanted = System.getProperty("rnn4j.kernels", "vector");
        assertEquals(wanted, Kernels.get().name());
    }

    @Test
    void activationKernelsSaturateExactlyOnBothImplementations() {
        float[] x = {1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            88.8f, -104f, 1e4f, -1e4f, 0f, 20f, -20f, 1e30f, -1e30f, 50f, -50f};
        for (Kernels k : new Kernels[] {Kernels.get(), Kernels.scalar()}) {
            float[] tanh = new float[x.length];
            float[] sigmoid = new float[x.length];
            k.tanh(x.length, x, 0, tanh, 0);
            k.sigmoid(x.length, x, 0, sigmoid, 0);
            for (int i = 0; i < x.length; i++) {
                String where = k.name() + " at x = " + x[i];
                assertTrue(Float.isFinite(tanh[i]) && Math.abs(tanh[i]) <= 1f, "tanh " + tanh[i] + " " + where);
                assertTrue(Float.isFinite(sigmoid[i]) && sigmoid[i] >= 0f && sigmoid[i] <= 1f, "sigmoid " + sigmoid[i] + " " + where);
                if (Math.abs(x[i]) >= 20) {
                    assertEquals(Math.signum(x[i]), tanh[i], 1e-6f, "tanh saturates, " + where);
                    assertEquals(x[i] > 0 ? 1f : 0f, sigmoid[i], 1e-6f, "sigmoid saturates, " + where);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void extremeInputsGiveFiniteOutputsStatesAndGradients(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(4).hiddenSize(6).layers(2).bidirectional(true).seed(5).build();
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = Tensor.zeros(3, 12, 4);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = EXTREMES[rng.nextInt(EXTREMES.length)];
        }
        RecurrentOutput out = layer.forward(x, new int[] {12, 7, 1}, null, true);
        requireBounded(cell + " output", out.output(), 1f);
        for (String state : layer.stateNames()) {
            // The LSTM cell state grows by at most one per step; h is bounded by 1.
            requireBounded(cell + " final " + state, out.finalState(state), state.equals("c") ? 12f : 1f);
        }
        RecurrentOutput.Gradients g = out.backward(Tensor.full(1f, out.output().shape()), null, Map.of());
        requireBounded(cell + " input gradient", g.input(), Float.MAX_VALUE);
        layer.parameters().forEach(p -> requireBounded(cell + " gradient of " + p.name(), p.grad(), Float.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void extremeInputsKeepAStreamFinite(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(3).hiddenSize(5).layers(2).seed(6).build();
        RecurrentStream stream = layer.stream(2);
        Tensor x = Tensor.zeros(2, 3);
        for (int step = 0; step < 200; step++) {
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = EXTREMES[(step + i) % EXTREMES.length];
            }
            requireBounded(cell + " stream step " + step, stream.step(x), 1f);
        }
    }

    private static void requireBounded(String what, Tensor t, float bound) {
        for (int i = 0; i < t.size(); i++) {
            float v = t.data()[i];
            assertTrue(Float.isFinite(v) && Math.abs(v) <= bound, what + " holds " + v + " at " + i + " on "
                    + Kernels.get().name() + " kernels");
        }
    }
}
