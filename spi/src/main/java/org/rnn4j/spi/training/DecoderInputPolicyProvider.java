package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/**
 * Creates decoder input policies such as {@code teacher-forcing} and {@code scheduled-sampling}. A
 * provider is registered with
 * {@code provides org.rnn4j.spi.training.DecoderInputPolicyProvider with ...} in its module descriptor
 * (and a {@code META-INF/services} entry for class-path use), carries {@code @Plugin(name = "...")},
 * and reads its options through {@link org.rnn4j.spi.Options#requireOnly}, so an unknown one is an
 * error.
 */
public interface DecoderInputPolicyProvider {

    /**
     * Creates the policy with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    DecoderInputPolicy create(Options options);
}
