/**
 * Ready-made models built from the layers, trainable by the trainer: sequence models (many-to-one,
 * many-to-many, recursive forecasting) and encoder-decoders with attention. It sits above
 * {@code nn}, {@code attention} and {@code training} because a model combines all three; the
 * plugin modules stay independent of one another.
 */
module org.rnn4j.models {
    requires transitive org.rnn4j.nn;
    requires transitive org.rnn4j.attention;
    requires transitive org.rnn4j.training;

    exports org.rnn4j.models;
}
