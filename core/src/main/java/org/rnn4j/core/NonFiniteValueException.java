package org.rnn4j.core;

import java.io.Serial;
import java.util.Arrays;

/**
 * A NaN or an infinity where finite values are required, found by {@link Finite#require}: in data
 * entering a model, or, inside a model, in what one layer hands the next (a sign that training has
 * diverged). A trainer treats it like a non-finite loss.
 */
public final class NonFiniteValueException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String argument;
    private final int[] index;
    private final float value;

    NonFiniteValueException(String message, String argument, int[] index, float value) {
        super(message);
        this.argument = argument;
        this.index = index.clone();
        this.value = value;
    }

    /**
     * The argument that held the value, such as {@code input}.
     *
     * @return the argument's name
     */
    public String argument() {
        return argument;
    }

    /**
     * The position of the first non-finite element, one coordinate per dimension.
     *
     * @return a copy of the index
     */
    public int[] index() {
        return index.clone();
    }

    /**
     * The first non-finite element: NaN or an infinity.
     *
     * @return the value
     */
    public float value() {
        return value;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + " " + Arrays.toString(index);
    }
}
