/** A small reverse-mode tape: custom cells written with its operations get their backward pass derived. */
package org.rnn4j.core.autograd;
