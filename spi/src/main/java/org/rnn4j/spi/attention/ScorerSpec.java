package org.rnn4j.spi.attention;

import java.util.Objects;
import org.rnn4j.spi.Options;

/**
 * What a scorer is created from.
 *
 * @param querySize     Hq, size of the decoder state that asks
 * @param keySize       Hk, size of each encoder output attended over
 * @param attentionSize A, the hidden size of scorers that have one (additive); 0 when unused
 * @param options       scorer-specific settings
 * @param seed          seed of the parameter initialization
 */
public record ScorerSpec(int querySize, int keySize, int attentionSize, Options options, long seed) {

    /** Validates the sizes. */
    public ScorerSpec {
        if (querySize < 1 || keySize < 1 || attentionSize < 0) {
            throw new IllegalArgumentException("scorer sizes must be querySize >= 1, keySize >= 1, attentionSize >= 0;"
                    + " given " + querySize + ", " + keySize + ", " + attentionSize);
        }
        Objects.requireNonNull(options, "options");
    }
}
