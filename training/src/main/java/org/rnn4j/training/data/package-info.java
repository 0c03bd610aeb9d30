/**
 * Data preparation: tokenizers, vocabularies, batches with padding and lengths, windowing,
 * samplers, splits and normalizers.
 */
package org.rnn4j.training.data;
