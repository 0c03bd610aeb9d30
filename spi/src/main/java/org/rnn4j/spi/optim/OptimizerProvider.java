package org.rnn4j.spi.optim;

import org.rnn4j.spi.Options;

/**
 * Creates optimizers such as {@code sgd} and {@code adam}. A provider is registered with
 * {@code provides org.rnn4j.spi.optim.OptimizerProvider with ...} in its module descriptor (and a
 * {@code META-INF/services} entry for class-path use), carries {@code @Plugin(name = "...")}, and
 * reads its options through {@link org.rnn4j.spi.Options#requireOnly}, so an unknown one is an error.
 */
public interface OptimizerProvider {

    /**
     * Creates the optimizer with these options.
     *
     * @throws IllegalArgumentException when an option is unknown or out of range, naming it
     */
    Optimizer create(Options options);
}
