package org.rnn4j.spi.optim;

import org.rnn4j.spi.Options;

/** Creates optimizers such as {@code sgd} and {@code adam}. */
public interface OptimizerProvider {

    /**
     * Creates the optimizer with these options.
     *
     * @throws IllegalArgumentException when an option is unknown or out of range, naming it
     */
    Optimizer create(Options options);
}
