package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/** Creates gradient transforms such as {@code clip-norm} and {@code clip-value}. */
public interface GradientTransformProvider {

    /**
     * Creates the transform with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    GradientTransform create(Options options);
}
