/**
 * The compute kernels behind one interface, with the scalar reference twin; the SIMD
 * implementation is chosen once at start-up.
 */
package org.rnn4j.core.kernel;
