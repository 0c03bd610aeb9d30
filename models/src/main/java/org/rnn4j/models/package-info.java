/** Ready-made models built from the layers; each implements {@link org.rnn4j.spi.training.Trainable}. */
package org.rnn4j.models;
