package org.rnn4j.spi.cell;

import org.rnn4j.core.Tensor;

/**
 * One cell advanced one step at a time for streaming inference, for a fixed batch size: the state
 * lives in tensors the caller owns and is updated in place. Built-in cells allocate nothing per
 * step while its products run on one thread (see {@code RecurrentStream}). Not thread-safe: one
 * stream per thread.
 */
public interface StepKernel {

    /**
     * Advances every sequence of the batch by one step.
     *
     * @param x     the input of this step, {@code [B, I]}
     * @param state the state, one {@code [B, H]} tensor per state name, read and then overwritten
     * @throws IllegalArgumentException when a shape does not fit, naming it
     */
    void step(Tensor x, Tensor[] state);
}
