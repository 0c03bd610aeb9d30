package org.rnn4j.spi.cell;

import java.util.Arrays;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;

/**
 * The checked sizes of one {@link SequenceKernel#forward} call. Every kernel, built-in or plugin,
 * validates its arguments through {@link #check} so all report mistakes the same way.
 *
 * @param batch  B
 * @param steps  T
 * @param input  I
 * @param hidden H
 */
public record SequenceArguments(int batch, int steps, int input, int hidden) {

    /**
     * Validates the arguments of a forward call against the cell.
     *
     * @throws IllegalArgumentException naming the argument, the expected and the given value
     */
    public static SequenceArguments check(RecurrentCell cell, Tensor input, int[] lengths, Tensor[] initialState,
                                          Tensor output, Tensor[] finalState) {
        String op = "sequence forward";
        Shapes.requireRank(op, "input", input, 3);
        int b = input.dim(0);
        int t = input.dim(1);
        int i = input.dim(2);
        int h = cell.hiddenSize();
        if (i != cell.inputSize()) {
            throw new IllegalArgumentException(op + ": input has " + i + " features, the cell expects "
                    + cell.inputSize() + " (input shape " + Arrays.toString(input.shape()) + ")");
        }
        int states = cell.stateNames().size();
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException(op + ": lengths has " + lengths.length + " entries, the batch has " + b);
            }
            for (int k = 0; k < b; k++) {
                if (lengths[k] < 0 || lengths[k] > t) {
                    throw new IllegalArgumentException(op + ": lengths[" + k + "] must be in [0, " + t + "], given "
                            + lengths[k]);
                }
            }
        }
        Shapes.require(op, "output", output, b, t, h);
        checkStates(op, "finalState", finalState, states, b, h, false);
        checkStates(op, "initialState", initialState, states, b, h, true);
        return new SequenceArguments(b, t, i, h);
    }

    /**
     * Validates the arguments of the {@link SequenceKernel.Backward} of a forward call with these
     * sizes, before it changes anything: each may be null, as may each entry of the two arrays.
     *
     * @param states the cell's number of states
     * @throws IllegalArgumentException naming the argument, the expected and the given shape or count
     */
    public void checkBackward(int states, Tensor dOutput, Tensor[] dFinalState, Tensor dInput,
                              Tensor[] dInitialState) {
        String op = "sequence backward";
        if (dOutput != null) {
            Shapes.require(op, "dOutput", dOutput, batch, steps, hidden);
        }
        checkStates(op, "dFinalState", dFinalState, states, batch, hidden, true);
        if (dInput != null) {
            Shapes.require(op, "dInput", dInput, batch, steps, input);
        }
        checkStates(op, "dInitialState", dInitialState, states, batch, hidden, true);
    }

    private static void checkStates(String op, String name, Tensor[] s, int count, int b, int h, boolean nullable) {
        if (s == null) {
            if (nullable) {
                return;
            }
            throw new IllegalArgumentException(op + ": " + name + " is required");
        }
        if (s.length != count) {
            throw new IllegalArgumentException(op + ": " + name + " needs " + count + " tensors, given " + s.length);
        }
        for (int k = 0; k < count; k++) {
            if (s[k] == null && nullable) {
                continue;
            }
            if (s[k] == null) {
                throw new IllegalArgumentException(op + ": " + name + "[" + k + "] is null");
            }
            Shapes.require(op, name + "[" + k + "]", s[k], b, h);
        }
    }

    /** Whether step {@code t} of sequence {@code b} is a real step (not padding). */
    public static boolean active(int[] lengths, int b, int t) {
        return lengths == null || t < lengths[b];
    }
}
