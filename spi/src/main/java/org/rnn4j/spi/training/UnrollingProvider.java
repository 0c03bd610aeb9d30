package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/** Creates unrolling strategies such as {@code bptt} and {@code truncated-bptt}. */
public interface UnrollingProvider {

    /**
     * Creates the strategy with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    UnrollingStrategy create(Options options);
}
