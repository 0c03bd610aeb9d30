/** Built-in cells plugins, registered with the rnn4j registry through {@code provides}. */
module org.rnn4j.cells {
    requires transitive org.rnn4j.spi;
}
