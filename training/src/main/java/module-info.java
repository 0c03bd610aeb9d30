/** Built-in training plugins, registered with the rnn4j registry through {@code provides}. */
module org.rnn4j.training {
    requires transitive org.rnn4j.spi;
}
