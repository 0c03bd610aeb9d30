/** The fixed pool of worker threads that the kernels split large products over. */
package org.rnn4j.core.parallel;
