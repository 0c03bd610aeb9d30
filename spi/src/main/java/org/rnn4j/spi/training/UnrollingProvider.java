package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/**
 * Creates unrolling strategies such as {@code bptt} and {@code truncated-bptt}. A provider is
 * registered with {@code provides org.rnn4j.spi.training.UnrollingProvider with ...} in its module
 * descriptor (and a {@code META-INF/services} entry for class-path use), carries
 * {@code @Plugin(name = "...")}, and reads its options through
 * {@link org.rnn4j.spi.Options#requireOnly}, so an unknown one is an error.
 */
public interface UnrollingProvider {

    /**
     * Creates the strategy with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    UnrollingStrategy create(Options options);
}
