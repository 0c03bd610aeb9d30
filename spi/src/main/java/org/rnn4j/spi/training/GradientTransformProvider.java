package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/**
 * Creates gradient transforms such as {@code clip-norm} and {@code clip-value}. A provider is
 * registered with {@code provides org.rnn4j.spi.training.GradientTransformProvider with ...} in its
 * module descriptor (and a {@code META-INF/services} entry for class-path use), carries
 * {@code @Plugin(name = "...")}, and reads its options through
 * {@link org.rnn4j.spi.Options#requireOnly}, so an unknown one is an error.
 */
public interface GradientTransformProvider {

    /**
     * Creates the transform with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    GradientTransform create(Options options);
}
