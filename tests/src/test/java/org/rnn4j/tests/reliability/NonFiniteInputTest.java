package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Finite;
import org.rnn4j.core.NonFiniteValueException;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.RecurrentStream;
import org.rnn4j.training.NonFiniteException;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;

/**
 * A NaN or infinity entering a layer is reported at the layer boundary, naming the layer, the
 * argument, the position and the value; {@code -Drnn4j.checkFinite=false} lets it through.
 */
class NonFiniteInputTest {

    @Test
    void checkingIsOnByDefault() {
        assertTrue(Finite.enabled());
    }

    @Test
    void aNanInARecurrentInputIsNamedWithItsPosition() {
        Recurrent lstm = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).build();
        Tensor x = Tensor.zeros(2, 5, 3);
        x.set(Float.NaN, 1, 3, 2);
        var e = assertThrows(NonFiniteValueException.class, () -> lstm.forward(x));
        assertEquals("Recurrent 'lstm'.forward: input holds NaN at [1, 3, 2] (shape [2, 5, 3]); inputs must be finite"
                + " (this check is off with -Drnn4j.checkFinite=false)", e.getMessage());
    }

    @Test
    void anInfiniteInitialStateIsNamed() {
        Recurrent lstm = Recurrent.builder("lstm").inputSize(3).hiddenSize(4).layers(2).build();
        Tensor c = Tensor.zeros(2, 1, 4);
        c.set(Float.NEGATIVE_INFINITY, 1, 0, 3);
        var e = assertThrows(NonFiniteValueException.class,
                () -> lstm.forward(Tensor.zeros(1, 2, 3), null, Map.of("c", c), false));
        assertTrue(e.getMessage().contains("initial state 'c' holds -Infinity at [1, 0, 3]"), e.getMessage());
    }

    @Test
    void denseLayersAndStreamsCheckTheirInputsToo() {
        Tensor x = Tensor.zeros(4, 2);
        x.set(Float.POSITIVE_INFINITY, 3, 1);
        var dense = assertThrows(NonFiniteValueException.class, () -> new Dense(2, 3, 1).forward(x));
        assertTrue(dense.getMessage().startsWith("Dense.forward: input holds Infinity at [3, 1]"), dense.getMessage());
        RecurrentStream stream = Recurrent.builder("gru").inputSize(2).hiddenSize(3).build().stream(4);
        var step = assertThrows(NonFiniteValueException.class, () -> stream.step(x));
        assertTrue(step.getMessage().startsWith("RecurrentStream.step: x holds Infinity at [3, 1]"), step.getMessage());
    }

    @Test
    void aTrainerTreatsANanInTheDataLikeANonFiniteLoss() throws IOException {
        Tensor x = Tensor.zeros(1, 4, 1);
        x.set(Float.NaN, 0, 2, 0);
        List<SequenceBatch> data = List.of(new SequenceBatch(x, null, null, Tensor.zeros(1, 1), null));
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(1).hiddenSize(2).build()).build();
        var stop = assertThrows(NonFiniteException.class, () -> trainer(model, Trainer.OnNonFinite.STOP).fit(data));
        assertTrue(stop.getMessage().contains("input holds NaN at [0, 2, 0]"), stop.getMessage());
        assertTrue(stop.getCause() instanceof NonFiniteValueException, String.valueOf(stop.getCause()));
        assertEquals(2, trainer(model, Trainer.OnNonFinite.SKIP).fit(data).skipped(), "one skipped step per epoch");
    }

    private static Trainer<SequenceBatch, SequenceBatch> trainer(SequenceModel model, Trainer.OnNonFinite policy) {
        return Trainer.<SequenceBatch, SequenceBatch>builder(model, List::getFirst).batchSize(1).epochs(2)
                .onNonFinite(policy).build();
    }

    @Test
    void theCheckFindsABadValueAnywhereInALargeInput() {
        float[] data = new float[10_000];
        assertEquals(-1, Finite.firstNonFinite(data));
        for (int at : new int[] {0, 1023, 1024, 5000, 9999}) {
            float[] copy = data.clone();
            copy[at] = Float.NaN;
            assertEquals(at, Finite.firstNonFinite(copy));
            copy[at] = Float.NEGATIVE_INFINITY;
            assertEquals(at, Finite.firstNonFinite(copy));
        }
        data[7] = Float.MAX_VALUE;
        data[8] = -Float.MIN_VALUE;
        assertEquals(-1, Finite.firstNonFinite(data), "large and tiny values are finite");
    }

    @Test
    void switchedOffTheNanFlowsThrough() throws IOException, InterruptedException {
        assertEquals(List.of("output: NaN", "output: NaN"), probe(List.of("-Drnn4j.checkFinite=false")));
        List<String> on = probe(List.of());
        // Rejected for the NaN, not for anything else a probe might get wrong.
        assertEquals(2, on.size(), on.toString());
        assertTrue(on.stream().allMatch(l -> l.startsWith("rejected: ") && l.contains(" holds NaN at ")), on.toString());
    }

    private static List<String> probe(List<String> options) throws IOException, InterruptedException {
        return ChildJvm.run(60, FiniteCheckProbe.class, options);
    }
}
