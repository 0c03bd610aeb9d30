/**
 * The trainer and the built-in training plugins: optimizers, schedules, clipping, unrolling,
 * decoder input policies, losses, checkpoints.
 */
package org.rnn4j.training;
