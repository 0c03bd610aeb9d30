/**
 * Layers: recurrent (stacked, bidirectional, masked, streaming), dense and embedding, with PyTorch
 * state-dict names.
 */
package org.rnn4j.nn;
