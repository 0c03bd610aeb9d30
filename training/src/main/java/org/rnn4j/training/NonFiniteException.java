package org.rnn4j.training;

/**
 * Training met a loss or gradient that is NaN or infinite and was told to stop. The weights are
 * those before the offending step; the last checkpoint on disk stays intact.
 */
public final class NonFiniteException extends ArithmeticException {

    private final long step;
    private final String parameter;

    NonFiniteException(String message, long step, String parameter) {
        super(message);
        this.step = step;
        this.parameter = parameter;
    }

    /** The step that failed: the number of optimizer steps taken before it. */
    public long step() {
        return step;
    }

    /** The first parameter whose gradient is not finite, or null when the loss itself is not finite. */
    public String parameter() {
        return parameter;
    }
}
