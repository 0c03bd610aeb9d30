/** Optimizer and learning-rate schedule contracts. */
package org.rnn4j.spi.optim;
