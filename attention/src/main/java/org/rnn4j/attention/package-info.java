/** Masked attention over encoder outputs, and the built-in dot, scaled-dot, general and additive scorers. */
package org.rnn4j.attention;
