package org.rnn4j.spi.attention;

/**
 * Creates attention scorers of one kind ({@code dot}, {@code general}, ...). Registered with
 * {@code provides org.rnn4j.spi.attention.ScorerProvider with ...} and {@code @Plugin(name = ...)}.
 */
public interface ScorerProvider {

    /**
     * A new scorer with freshly initialized parameters.
     *
     * @throws IllegalArgumentException when the sizes or options do not suit this scorer, naming them
     */
    AttentionScorer create(ScorerSpec spec);
}
