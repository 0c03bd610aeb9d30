/**
 * What the trainer drives: trainable models, unrolling strategies, gradient transforms and decoder
 * input policies.
 */
package org.rnn4j.spi.training;
