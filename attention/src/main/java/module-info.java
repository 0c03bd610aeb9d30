/**
 * Attention: the built-in scorers {@code dot}, {@code scaled-dot}, {@code general} and
 * {@code additive}, registered with the rnn4j registry, and the attention step that uses any scorer.
 */
module org.rnn4j.attention {
    requires transitive org.rnn4j.spi;

    exports org.rnn4j.attention;

    provides org.rnn4j.spi.attention.ScorerProvider with
            org.rnn4j.attention.DotScorer,
            org.rnn4j.attention.ScaledDotScorer,
            org.rnn4j.attention.GeneralScorer,
            org.rnn4j.attention.AdditiveScorer;
}
