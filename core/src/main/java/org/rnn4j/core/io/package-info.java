/**
 * Model files: safetensors reading and writing, a strict JSON parser for their headers, and atomic
 * file replacement.
 */
package org.rnn4j.core.io;
