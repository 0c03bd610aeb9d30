/**
 * The plugin machinery: the {@link org.rnn4j.spi.Plugin} annotation, typed options, and registries
 * that find providers by name.
 */
package org.rnn4j.spi;
