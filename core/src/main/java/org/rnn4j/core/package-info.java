/**
 * Tensors (row-major float32), parameters with their gradients, shape and memory checks, and the
 * finite-value guard every layer uses.
 */
package org.rnn4j.core;
