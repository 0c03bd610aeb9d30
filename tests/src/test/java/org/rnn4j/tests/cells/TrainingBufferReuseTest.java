package org.rnn4j.tests.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;
import org.rnn4j.spi.cell.SequenceKernel;

/**
 * The built-in cells keep a training run's work buffers for the next run. A reused buffer holds the
 * last run's numbers, so every result must still be bit-identical to a fresh cell's, with padding
 * (whose gradient rows a run never writes), a smaller shape after a larger one, and runs in flight
 * at once; and a backward pass, whose buffers may already serve another run, runs only once.
 */
class TrainingBufferReuseTest {

    private static final int IN = 5;
    private static final int HIDDEN = 6;

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void aRunAfterOthersGivesTheResultsOfAFreshCell(String name) {
        RecurrentCell used = cell(name);
        // Larger, unpadded runs in both directions first: their buffers are longer and full of numbers.
        run(used, new Data(9, 8, null, 1), false).backward();
        run(used, new Data(9, 8, null, 2), true).backward();
        Data padded = new Data(4, 7, new int[] {7, 0, 3, 5}, 3);
        for (boolean reverse : new boolean[] {false, true}) {
            Result want = run(cell(name), padded, reverse).backward();
            Result got = run(used, padded, reverse).backward();
            got.assertSameAs(want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void runsInFlightAtOnceGiveTheResultsOfRunsOneAfterTheOther(String name) {
        Data first = new Data(4, 6, new int[] {6, 2, 0, 4}, 4);
        Data second = new Data(4, 6, null, 5);
        RecurrentCell alone = cell(name);
        Result wantFirst = run(alone, first, false).backward();
        Result wantSecond = run(alone, second, false).backward();
        RecurrentCell together = cell(name);
        Pending a = run(together, first, false);
        Pending b = run(together, second, false);
        // Backward in reverse order: the second run's buffers go back first, then the first's.
        Result gotSecond = b.backward();
        Result gotFirst = a.backward();
        gotFirst.assertOutputsSameAs(wantFirst);
        gotSecond.assertOutputsSameAs(wantSecond);
        // Both runs' gradients went into the same parameters; a third run (its gradients zeroed
        // first) reuses what the two gave back and must match a fresh cell in everything.
        Result third = run(together, first, false).backward();
        third.assertSameAs(run(cell(name), first, false).backward());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void aBackwardPassRunsOnlyOnce(String name) {
        RecurrentCell cell = cell(name);
        Pending pending = run(cell, new Data(3, 4, null, 6), false);
        pending.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, pending::backward);
        assertTrue(e.getMessage().contains("only once"), e.getMessage());
    }

    private static RecurrentCell cell(String name) {
        return Registries.cells().get(name).create(new CellSpec(IN, HIDDEN, Options.empty(), 11));
    }

    /** Seeded inputs and upstream gradients of one run. */
    private record Data(int batch, int steps, int[] lengths, long seed) {
    }

    /** What a run produced: outputs, input and state gradients, and the parameters' gradients after it. */
    private record Result(Tensor output, Tensor[] finals, Tensor dInput, Tensor[] dInitial, List<Tensor> grads) {

        void assertOutputsSameAs(Result want) {
            assertArrayEquals(want.output.data(), output.data(), "output");
            for (int s = 0; s < finals.length; s++) {
                assertArrayEquals(want.finals[s].data(), finals[s].data(), "final state " + s);
                assertArrayEquals(want.dInitial[s].data(), dInitial[s].data(), "initial-state gradient " + s);
            }
            assertArrayEquals(want.dInput.data(), dInput.data(), "input gradient");
        }

        void assertSameAs(Result want) {
            assertOutputsSameAs(want);
            for (int p = 0; p < grads.size(); p++) {
                assertArrayEquals(want.grads.get(p).data(), grads.get(p).data(), "gradient of parameter " + p);
            }
        }
    }

    /** A forward run in training whose backward pass has not run yet. */
    private record Pending(RecurrentCell cell, Data data, Tensor output, Tensor[] finals, SequenceKernel.Backward back,
                           SplittableRandom rng) {

        Result backward() {
            Tensor dOutput = random(rng, data.batch, data.steps, HIDDEN);
            Tensor[] dFinal = randomStates(rng, finals.length, data.batch);
            Tensor[] dInitial = zeroStates(finals.length, data.batch);
            Tensor dInput = Tensor.zeros(data.batch, data.steps, IN);
            back.run(dOutput, dFinal, dInput, dInitial);
            List<Tensor> grads = new ArrayList<>();
            for (Parameter p : cell.parameters()) {
                grads.add(p.grad().copy());
            }
            return new Result(output, finals, dInput, dInitial, grads);
        }
    }

    /** Zeroes the cell's gradients and runs forward in training. */
    private static Pending run(RecurrentCell cell, Data data, boolean reverse) {
        cell.parameters().forEach(Parameter::zeroGrad);
        SplittableRandom rng = new SplittableRandom(data.seed);
        int states = cell.stateNames().size();
        Tensor input = random(rng, data.batch, data.steps, IN);
        Tensor[] initial = randomStates(rng, states, data.batch);
        Tensor[] finals = zeroStates(states, data.batch);
        Tensor output = Tensor.zeros(data.batch, data.steps, HIDDEN);
        SequenceKernel.Backward back = cell.sequenceKernel()
                .forward(input, data.lengths, reverse, initial, output, finals, true);
        return new Pending(cell, data, output, finals, back, rng);
    }

    private static Tensor[] randomStates(SplittableRandom rng, int states, int batch) {
        Tensor[] t = new Tensor[states];
        for (int s = 0; s < states; s++) {
            t[s] = random(rng, batch, HIDDEN);
        }
        return t;
    }

    private static Tensor[] zeroStates(int states, int batch) {
        Tensor[] t = new Tensor[states];
        for (int s = 0; s < states; s++) {
            t[s] = Tensor.zeros(batch, HIDDEN);
        }
        return t;
    }
}
