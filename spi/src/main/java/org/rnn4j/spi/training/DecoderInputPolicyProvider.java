package org.rnn4j.spi.training;

import org.rnn4j.spi.Options;

/** Creates decoder input policies such as {@code teacher-forcing} and {@code scheduled-sampling}. */
public interface DecoderInputPolicyProvider {

    /**
     * Creates the policy with these options.
     *
     * @throws IllegalArgumentException when an option is missing, unknown or out of range, naming it
     */
    DecoderInputPolicy create(Options options);
}
