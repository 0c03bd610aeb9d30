package org.rnn4j.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Merge;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.UnknownPluginException;

class RecurrentLayerTest {

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("lstm", 2, true, Merge.CONCAT),
                Arguments.of("gru", 2, true, Merge.SUM),
                Arguments.of("lstm", 1, true, Merge.MUL),
                Arguments.of("gru", 2, true, Merge.AVERAGE),
                Arguments.of("rnn", 3, false, Merge.CONCAT));
    }

    /**
     * Loss = output.P + last.Q + sum over states of final.R with padded sequences; every gradient
     * of the stacked, bidirectional, merged layer is checked against central differences.
     */
    @ParameterizedTest(name = "{0} layers={1} bidirectional={2} {3}")
    @MethodSource("configurations")
    void gradientsMatchFiniteDifferences(String cell, int layers, boolean bi, Merge merge) {
        Recurrent layer = Recurrent.builder(cell).inputSize(3).hiddenSize(4).layers(layers).bidirectional(bi)
                .merge(merge).seed(3).build();
        Probes in = Probes.draw(layer);

        layer.parameters().forEach(Parameter::zeroGrad);
        RecurrentOutput out = layer.forward(in.x(), in.lengths(), in.h0(), true);
        RecurrentOutput.Gradients g = out.backward(in.p(), in.q(), in.probesFinal());

        checkEveryGradient(layer, in, g, () -> layer.forward(in.x(), in.lengths(), in.h0(), false));
    }

    /**
     * The inputs of a gradient check: three padded sequences of 3 features (lengths 5, 3 and 1),
     * initial states, and the probes of the loss output.P + last.Q + sum over states of final.R.
     */
    private record Probes(Tensor x, int[] lengths, Map<String, Tensor> h0, Tensor p, Tensor q,
                          Map<String, Tensor> probesFinal) {

        /** Draws the inputs and probes for {@code layer} (hidden size 4) from a fixed seed. */
        static Probes draw(Recurrent layer) {
            SplittableRandom rng = new SplittableRandom(9);
            int b = 3;
            int t = 5;
            Tensor x = random(rng, b, t, 3);
            Map<String, Tensor> h0 = new LinkedHashMap<>();
            Map<String, Tensor> probesFinal = new LinkedHashMap<>();
            for (String s : layer.stateNames()) {
                h0.put(s, random(rng, layer.layers() * layer.directions(), b, 4));
                probesFinal.put(s, random(rng, layer.layers() * layer.directions(), b, 4));
            }
            Tensor p = random(rng, b, t, layer.outputSize());
            Tensor q = random(rng, b, layer.outputSize());
            return new Probes(x, new int[] {5, 3, 1}, h0, p, q, probesFinal);
        }
    }

    /**
     * Checks the gradients {@code g} of the input, of the initial states and of every parameter
     * against central differences of the loss output.P + last.Q + sum over states of final.R, taken
     * of the output {@code forward} computes from {@code in}.
     */
    private static void checkEveryGradient(Recurrent layer, Probes in, RecurrentOutput.Gradients g,
                                           java.util.function.Supplier<RecurrentOutput> forward) {
        java.util.function.DoubleSupplier loss = () -> {
            RecurrentOutput o = forward.get();
            double s = dot(o.output(), in.p()) + dot(o.last(), in.q());
            for (String name : layer.stateNames()) {
                s += dot(o.finalState(name), in.probesFinal().get(name));
            }
            return s;
        };
        check("input", in.x(), g.input(), loss);
        for (String name : layer.stateNames()) {
            check("initial " + name, in.h0().get(name), g.initialState().get(name), loss);
        }
        for (Parameter param : layer.parameters()) {
            check(param.name(), param.value(), param.grad().copy(), loss);
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    private static void check(String what, Tensor target, Tensor analytic, java.util.function.DoubleSupplier loss) {
        float[] d = target.data();
        for (int i = 0; i < d.length; i++) {
            float keep = d[i];
            float h = 1e-3f;
            d[i] = keep + h;
            double up = loss.getAsDouble();
            d[i] = keep - h;
            double down = loss.getAsDouble();
            d[i] = keep;
            double num = (up - down) / (2 * h);
            assertEquals(num, analytic.data()[i], 1e-2 + 1e-2 * Math.abs(num), what + " element " + i);
        }
    }

    /**
     * Training on a batch of 34 sums each half's parameter gradients on a thread of its own and
     * adds them; the sums must equal those of two runs on the halves alone (17 rows each, summed
     * over the whole batch at once), and the input and initial-state gradients those of the rows
     * there, for each cell, with padding, both directions and two layers.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rnn", "lstm", "gru"})
    void gradientsSummedByHalvesMatchTheHalvesRunAlone(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(5).hiddenSize(8).layers(2).bidirectional(true).seed(6)
                .build();
        SplittableRandom rng = new SplittableRandom(13);
        int b = 34;
        int t = 6;
        int[] lengths = paddedLengths(rng, b, t);
        Tensor x = random(rng, b, t, 5);
        Tensor p = random(rng, b, t, layer.outputSize());
        Tensor q = random(rng, b, layer.outputSize());
        Map<String, Tensor> h0 = new LinkedHashMap<>();
        Map<String, Tensor> probesFinal = new LinkedHashMap<>();
        for (String s : layer.stateNames()) {
            h0.put(s, random(rng, 4, b, 8));
            probesFinal.put(s, random(rng, 4, b, 8));
        }
        layer.parameters().forEach(Parameter::zeroGrad);
        RecurrentOutput.Gradients whole = layer.forward(x, lengths, h0, true).backward(p, q, probesFinal);
        Map<String, float[]> wholeGrads = new LinkedHashMap<>();
        layer.parameters().forEach(param -> wholeGrads.put(param.name(), param.grad().data().clone()));

        layer.parameters().forEach(Parameter::zeroGrad); // both halves' gradients accumulate
        for (int lo : new int[] {0, b / 2}) {
            int hi = lo + b / 2;
            Map<String, Tensor> h0Half = new LinkedHashMap<>();
            Map<String, Tensor> probesHalf = new LinkedHashMap<>();
            for (String s : layer.stateNames()) {
                h0Half.put(s, rows(h0.get(s), 1, lo, hi));
                probesHalf.put(s, rows(probesFinal.get(s), 1, lo, hi));
            }
            RecurrentOutput.Gradients half = layer.forward(rows(x, 0, lo, hi),
                    java.util.Arrays.copyOfRange(lengths, lo, hi), h0Half, true)
                    .backward(rows(p, 0, lo, hi), rows(q, 0, lo, hi), probesHalf);
            near("input rows " + lo, rows(whole.input(), 0, lo, hi).data(), half.input().data());
            for (String s : layer.stateNames()) {
                near("initial " + s + " rows " + lo, rows(whole.initialState().get(s), 1, lo, hi).data(),
                        half.initialState().get(s).data());
            }
        }
        for (Parameter param : layer.parameters()) {
            near(param.name(), wholeGrads.get(param.name()), param.grad().data());
        }
    }

    /** Lengths of {@code b} sequences of up to {@code t} steps: every third full, the others 1 to {@code t}. */
    private static int[] paddedLengths(SplittableRandom rng, int b, int t) {
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = i % 3 == 0 ? t : 1 + rng.nextInt(t);
        }
        return lengths;
    }

    /** Rows {@code [lo, hi)} along {@code axis} (0 or 1) of a tensor, copied. */
    private static Tensor rows(Tensor t, int axis, int lo, int hi) {
        int[] shape = t.shape().clone();
        int outer = axis == 0 ? 1 : shape[0];
        int inner = t.size() / outer / shape[axis];
        shape[axis] = hi - lo;
        Tensor out = Tensor.zeros(shape);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(t.data(), (o * t.dim(axis) + lo) * inner, out.data(), o * (hi - lo) * inner,
                    (hi - lo) * inner);
        }
        return out;
    }

    private static void near(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + " size");
        double norm = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 + 1e-4 * Math.abs(want[i]), what + " element " + i);
            norm += (double) want[i] * want[i];
        }
        assertTrue(norm > 1e-6, what + " is not all zeros");
    }

    /**
     * Inference on a run this large (T*B*G*H above 64K floats) projects the input step by step,
     * training projects every step up front in one GEMM: both must give the same bits, with
     * padding, initial states, both directions and the batch split over threads (B >= 32; each
     * part keeps its own states and step buffers).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rnn", "lstm", "gru"})
    void inferenceProjectingStepByStepMatchesTraining(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(5).hiddenSize(64).bidirectional(true).seed(4).build();
        SplittableRandom rng = new SplittableRandom(11);
        int b = 34;
        int t = 40;
        int[] lengths = paddedLengths(rng, b, t);
        Tensor x = random(rng, b, t, 5);
        Map<String, Tensor> initial = new HashMap<>();
        for (String s : layer.stateNames()) {
            initial.put(s, random(rng, 2, b, 64));
        }
        RecurrentOutput inference = layer.forward(x, lengths, initial, false);
        RecurrentOutput training = layer.forward(x, lengths, initial, true);
        assertArrayEquals(training.output().data(), inference.output().data(), "output");
        assertArrayEquals(training.last().data(), inference.last().data(), "last");
        for (String s : layer.stateNames()) {
            assertArrayEquals(training.finalState(s).data(), inference.finalState(s).data(), s);
        }
        assertTrue(dot(inference.output(), inference.output()) > 1, "the outputs are not all zeros");
    }

    /**
     * Inference reuses the weights it packed while they keep their values: a write to either
     * weight, even to its last element only, must show in the next inference run (compared with a
     * training-mode run, which packs afresh).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rnn", "lstm", "gru"})
    void inferenceSeesWeightsWrittenAfterItPackedThem(String cell) {
        Recurrent layer = Recurrent.builder(cell).inputSize(5).hiddenSize(64).seed(8).build();
        SplittableRandom rng = new SplittableRandom(12);
        Tensor x = random(rng, 34, 40, 5);
        float[] before = layer.forward(x).output().data();
        assertArrayEquals(before, layer.forward(x).output().data(), "unchanged weights, same output");
        for (String name : new String[] {"weight_ih_l0", "weight_hh_l0"}) {
            float[] w = layer.stateDict().get(name).data();
            float[] last = layer.forward(x).output().data();
            w[w.length - 1] += 0.5f;
            float[] inference = layer.forward(x).output().data();
            assertArrayEquals(layer.forward(x, null, null, true).output().data(), inference, name + " written");
            assertTrue(!java.util.Arrays.equals(last, inference), name + ": the write changes the output");
        }
    }

    @Test
    void paddingMatchesRunningTheShortSequenceAlone() {
        Recurrent layer = Recurrent.builder("lstm").inputSize(2).hiddenSize(3).bidirectional(true).seed(5).build();
        SplittableRandom rng = new SplittableRandom(1);
        Tensor padded = random(rng, 1, 6, 2);
        Tensor alone = Tensor.of(java.util.Arrays.copyOf(padded.data(), 4 * 2), 1, 4, 2);
        RecurrentOutput a = layer.forward(padded, new int[] {4}, null, false);
        RecurrentOutput b = layer.forward(alone);
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(b.output().get(0, s, j), a.output().get(0, s, j), 1e-6, "step " + s);
            }
        }
        for (int s = 4; s < 6; s++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(0f, a.output().get(0, s, j), "padded step " + s + " outputs zero");
            }
        }
        assertArrayEquals(b.finalState("h").data(), a.finalState("h").data(), 1e-6f);
        assertArrayEquals(b.finalState("c").data(), a.finalState("c").data(), 1e-6f);
        // last(): forward half is the output at the last real step, reverse half the output at step 0.
        for (int j = 0; j < 3; j++) {
            assertEquals(a.output().get(0, 3, j), a.last().get(0, j), 1e-7);
            assertEquals(a.output().get(0, 0, 3 + j), a.last().get(0, 3 + j), 1e-7);
        }
    }

    @Test
    void zeroLengthSequenceKeepsItsInitialState() {
        Recurrent layer = Recurrent.builder("gru").inputSize(2).hiddenSize(3).seed(5).build();
        Tensor h0 = Tensor.full(0.25f, 1, 2, 3);
        RecurrentOutput out = layer.forward(Tensor.full(1f, 2, 4, 2), new int[] {0, 4}, Map.of("h", h0), false);
        for (int j = 0; j < 3; j++) {
            assertEquals(0.25f, out.finalState("h").get(0, 0, j));
        }
    }

    @Test
    void dropoutIsSeededAndOnlyInTraining() {
        java.util.function.Supplier<Recurrent> make = () -> Recurrent.builder("lstm").inputSize(2).hiddenSize(8).layers(2)
                .dropout(0.5).seed(5).build();
        Recurrent layer = make.get();
        Tensor x = random(new SplittableRandom(2), 2, 5, 2);
        Tensor inference1 = layer.forward(x).output();
        Tensor inference2 = layer.forward(x).output();
        assertEquals(inference1, inference2);
        Tensor train = layer.forward(x, null, null, true).output();
        assertTrue(maxDifference(train, inference1) > 1e-3, "dropout changes training outputs");

        // Inference applies no dropout at all: it equals a dropout-free layer with the same weights,
        // run for inference and for training.
        Recurrent plain = Recurrent.builder("lstm").inputSize(2).hiddenSize(8).layers(2).seed(99).build();
        plain.loadStateDict(layer.stateDict(), "");
        assertArrayEquals(plain.forward(x).output().data(), layer.forward(x).output().data(), 1e-6f, "inference");
        assertArrayEquals(plain.forward(x, null, null, true).output().data(), layer.forward(x).output().data(), 1e-6f,
                "inference against a dropout-free training run");

        // The same builder seed draws the same masks, call for call; each call draws new ones.
        Recurrent a = make.get();
        Recurrent b = make.get();
        Tensor a1 = a.forward(x, null, null, true).output();
        assertArrayEquals(a1.data(), b.forward(x, null, null, true).output().data(), 1e-6f, "first training call");
        Tensor a2 = a.forward(x, null, null, true).output();
        assertArrayEquals(a2.data(), b.forward(x, null, null, true).output().data(), 1e-6f, "second training call");
        assertTrue(maxDifference(a1, a2) > 1e-3, "a second call draws other masks");
        // Another builder seed with the same weights draws other masks.
        Recurrent other = Recurrent.builder("lstm").inputSize(2).hiddenSize(8).layers(2).dropout(0.5).seed(6).build();
        other.loadStateDict(make.get().stateDict(), "");
        assertTrue(maxDifference(make.get().forward(x, null, null, true).output(),
                other.forward(x, null, null, true).output()) > 1e-3, "another layer seed, other masks");

        // An explicit dropout seed gives the same masks each time, and another seed other masks.
        Tensor s11 = a.forward(x, null, null, true, 11).output();
        assertArrayEquals(s11.data(), b.forward(x, null, null, true, 11).output().data(), 1e-6f, "dropout seed 11");
        assertArrayEquals(s11.data(), a.forward(x, null, null, true, 11).output().data(), 1e-6f, "dropout seed 11 again");
        assertTrue(maxDifference(s11, a.forward(x, null, null, true, 12).output()) > 1e-3, "dropout seed 12");
    }

    private static double maxDifference(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.data()[i] - b.data()[i]));
        }
        return worst;
    }

    /**
     * The forward pass drops each input of an upper layer or scales it by {@code 1/(1-p)}. Layer 0
     * has positive weights and inputs, so its relu outputs are positive; layer 1 passes its input
     * through ({@code relu(I x)}), so the training output divided by the inference output (layer 0's)
     * is the mask itself.
     */
    @Test
    void dropoutZeroesOrScalesEachUpperLayerInputByOneOverOneMinusP() {
        double p = 0.3;
        int h = 6;
        Recurrent layer = Recurrent.builder("rnn").inputSize(3).hiddenSize(h).layers(2).dropout(p)
                .options(org.rnn4j.spi.Options.of("nonlinearity", "relu")).seed(2).build();
        Map<String, Tensor> w = layer.stateDict();
        for (String name : new String[] {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}) {
            float[] v = w.get(name).data();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.abs(v[i]) * 0.5f + 0.01f;
            }
        }
        w.get("weight_ih_l1").fill(0f);
        for (int i = 0; i < h; i++) {
            w.get("weight_ih_l1").set(1f, i, i);
        }
        w.get("weight_hh_l1").fill(0f);
        w.get("bias_ih_l1").fill(0f);
        w.get("bias_hh_l1").fill(0f);
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(4, 6, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextDouble(0.1, 1);
        }
        float[] clean = layer.forward(x).output().data();
        float[] dropped = layer.forward(x, null, null, true, 21).output().data();
        float keep = (float) (1 / (1 - p));
        int zeros = 0;
        for (int i = 0; i < clean.length; i++) {
            assertTrue(clean[i] > 0, "layer 0's output is positive at " + i);
            if (dropped[i] == 0f) {
                zeros++;
            } else {
                assertEquals(keep, dropped[i] / clean[i], 1e-5, "kept input " + i + " is scaled by 1/(1-p)");
            }
        }
        assertTrue(zeros > 0.1 * clean.length && zeros < 0.5 * clean.length,
                zeros + " of " + clean.length + " dropped, for p = " + p);
    }

    /**
     * Dropout between stacked layers: the backward pass must apply the very masks of its forward
     * pass, with their {@code 1/(1-p)} scaling. With the dropout seed fixed, a training forward pass
     * is a smooth function of the inputs and weights, so central differences of it check every
     * gradient, layer 0's (which flow back through the mask) included.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"lstm, false", "gru, true"})
    void dropoutGradientsMatchFiniteDifferencesUnderTheSameMask(String cell, boolean bi) {
        Recurrent layer = Recurrent.builder(cell).inputSize(3).hiddenSize(4).layers(2).bidirectional(bi).dropout(0.3)
                .seed(3).build();
        long dropoutSeed = 1234;
        Probes in = Probes.draw(layer);
        // The masks matter: this seed's training output is not the inference output.
        assertTrue(maxDifference(layer.forward(in.x(), in.lengths(), in.h0(), false).output(),
                layer.forward(in.x(), in.lengths(), in.h0(), true, dropoutSeed).output()) > 1e-3, "the masks change the output");

        layer.parameters().forEach(Parameter::zeroGrad);
        RecurrentOutput out = layer.forward(in.x(), in.lengths(), in.h0(), true, dropoutSeed);
        RecurrentOutput.Gradients g = out.backward(in.p(), in.q(), in.probesFinal());

        checkEveryGradient(layer, in, g, () -> layer.forward(in.x(), in.lengths(), in.h0(), true, dropoutSeed));
    }

    @Test
    void errorsNameWhatIsWrong() {
        Recurrent layer = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).build();
        var e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(2, 5, 7)));
        assertTrue(e.getMessage().contains("7 features") && e.getMessage().contains("expects 3"), e.getMessage());
        var len = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 5, 3), new int[] {5, 6}, null, false));
        assertTrue(len.getMessage().contains("lengths[1] must be in [0, 5], given 6"), len.getMessage());
        var state = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(2, 5, 3), null, Map.of("x", Tensor.zeros(1)), false));
        assertTrue(state.getMessage().contains("unknown initial state 'x'"), state.getMessage());
        var unknown = assertThrows(UnknownPluginException.class, () -> Recurrent.builder("lstn"));
        assertTrue(unknown.getMessage().startsWith("No cell named 'lstn'; known cells: gru, lstm, "), unknown.getMessage());
        var option = assertThrows(IllegalArgumentException.class, () -> Recurrent.builder("rnn").inputSize(1)
                .hiddenSize(1).options(org.rnn4j.spi.Options.of("nonlinearity", "sigmoid")).build());
        assertTrue(option.getMessage().contains("relu, tanh") && option.getMessage().contains("sigmoid"), option.getMessage());
        var inference = assertThrows(IllegalStateException.class,
                () -> layer.forward(Tensor.zeros(1, 2, 3)).backward(null, null, null));
        assertTrue(inference.getMessage().contains("training = true"), inference.getMessage());
    }

    @Test
    void aRefusedBackwardCallChangesNothingAndTheCorrectedOneWorks() {
        Recurrent layer = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).layers(2).bidirectional(true).seed(3).build();
        Recurrent twin = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).layers(2).bidirectional(true).seed(3).build();
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = random(rng, 2, 5, 3);
        Tensor dOut = random(rng, 2, 5, 8);
        RecurrentOutput want = twin.forward(x, null, null, true);
        RecurrentOutput.Gradients wantGrads = want.backward(dOut, null, null);
        RecurrentOutput got = layer.forward(x, null, null, true);
        var shape = assertThrows(IllegalArgumentException.class, () -> got.backward(dOut, Tensor.zeros(2, 7), null));
        assertTrue(shape.getMessage().contains("dLast") && shape.getMessage().contains("[2, 7]"), shape.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> got.backward(dOut, null,
                new HashMap<>(java.util.Collections.singletonMap("c", null))));
        assertTrue(missing.getMessage().contains("dFinalState 'c' is null"), missing.getMessage());
        RecurrentOutput.Gradients gotGrads = got.backward(dOut, null, null);
        assertArrayEquals(wantGrads.input().data(), gotGrads.input().data(), "input gradient");
        for (int p = 0; p < layer.parameters().size(); p++) {
            assertArrayEquals(twin.parameters().get(p).grad().data(), layer.parameters().get(p).grad().data(),
                    layer.parameters().get(p).name());
        }
        var twice = assertThrows(IllegalStateException.class, () -> got.backward(dOut, null, null));
        assertTrue(twice.getMessage().contains("already ran"), twice.getMessage());
    }

    @Test
    void stateDictUsesPyTorchNamesAndReportsEveryMismatch() {
        Recurrent layer = Recurrent.builder("gru").inputSize(3).hiddenSize(4).layers(2).bidirectional(true).build();
        assertEquals(java.util.List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                java.util.List.copyOf(layer.stateDict().keySet()));
        assertArrayEquals(new int[] {12, 8}, layer.stateDict().get("weight_ih_l1").shape());
        Map<String, Tensor> dict = new LinkedHashMap<>(layer.stateDict());
        dict.remove("bias_hh_l1");
        dict.put("weight_ih_l0", Tensor.zeros(12, 2));
        dict.put("weight_hr_l0", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> layer.loadStateDict(dict, ""));
        assertTrue(e.getMessage().contains("Missing: bias_hh_l1"), e.getMessage());
        assertTrue(e.getMessage().contains("weight_ih_l0 (expected [12, 3], found [12, 2])"), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected: weight_hr_l0"), e.getMessage());
    }
}
