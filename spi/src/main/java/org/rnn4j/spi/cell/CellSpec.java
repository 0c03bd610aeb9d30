package org.rnn4j.spi.cell;

import java.util.Objects;
import org.rnn4j.spi.Options;

/**
 * What a cell is created from.
 *
 * @param inputSize  features per step of the cell's input, {@code >= 1}
 * @param hiddenSize size of the hidden state (and of the output), {@code >= 1}
 * @param options    cell-specific settings, such as {@code nonlinearity} or {@code init}
 * @param seed       seed of the parameter initialization; equal seeds give equal parameters
 */
public record CellSpec(int inputSize, int hiddenSize, Options options, long seed) {

    /** Validates the sizes. */
    public CellSpec {
        if (inputSize < 1) {
            throw new IllegalArgumentException("cell input size must be >= 1, given " + inputSize);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("cell hidden size must be >= 1, given " + hiddenSize);
        }
        Objects.requireNonNull(options, "options");
    }

    /** A spec with no options. */
    public static CellSpec of(int inputSize, int hiddenSize, long seed) {
        return new CellSpec(inputSize, hiddenSize, Options.empty(), seed);
    }
}
