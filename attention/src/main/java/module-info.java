/** Built-in attention plugins, registered with the rnn4j registry through {@code provides}. */
module org.rnn4j.attention {
    requires transitive org.rnn4j.spi;
}
