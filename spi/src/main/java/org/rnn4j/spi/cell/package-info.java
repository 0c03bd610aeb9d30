/**
 * The recurrent cell contract, its sequence and step kernels, initializers, and the conformance
 * kit that plugin authors run.
 */
package org.rnn4j.spi.cell;
