package org.rnn4j.nn;

/**
 * How a bidirectional layer combines its forward and reverse outputs (Keras's {@code merge_mode}).
 * Only {@link #CONCAT} keeps both; it is PyTorch's layout: features {@code [0, H)} forward,
 * {@code [H, 2H)} reverse.
 */
public enum Merge {
    /** {@code [y_fwd, y_rev]}, {@code 2H} features (the default, as PyTorch). */
    CONCAT,
    /** {@code y_fwd + y_rev}. */
    SUM,
    /** {@code y_fwd * y_rev}. */
    MUL,
    /** {@code (y_fwd + y_rev) / 2}. */
    AVERAGE
}
