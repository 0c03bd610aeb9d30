/** The attention scorer contract: scores of a query against keys, with their backward pass. */
package org.rnn4j.spi.attention;
