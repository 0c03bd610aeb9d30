package org.rnn4j.tests.reliability;

import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;

/**
 * Feeds a NaN to a recurrent layer and a dense layer and prints what happened, one line each:
 * {@code rejected: <message>} or {@code output: <first value>}. The finiteness check is read once
 * per JVM, so the test of {@code -Drnn4j.checkFinite=false} runs this in a child JVM.
 */
public final class FiniteCheckProbe {

    private FiniteCheckProbe() {
    }

    /** Prints the two outcomes. */
    public static void main(String[] args) {
        Tensor x = Tensor.full(Float.NaN, 1, 3, 2);
        Recurrent layer = Recurrent.builder("gru").inputSize(2).hiddenSize(2).build();
        Dense dense = new Dense(2, 1, 1);
        try {
            System.out.println("output: " + layer.forward(x).output().data()[0]);
        } catch (IllegalArgumentException e) {
            System.out.println("rejected: " + e.getMessage());
        }
        try {
            System.out.println("output: " + dense.forward(x).value().data()[0]);
        } catch (IllegalArgumentException e) {
            System.out.println("rejected: " + e.getMessage());
        }
    }
}
