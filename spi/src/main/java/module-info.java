/**
 * Plugin contracts and the registry that finds plugins by name through {@link java.util.ServiceLoader}.
 */
module org.rnn4j.spi {
    requires transitive org.rnn4j.core;

    exports org.rnn4j.spi;
}
