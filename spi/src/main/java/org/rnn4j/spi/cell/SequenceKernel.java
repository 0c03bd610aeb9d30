package org.rnn4j.spi.cell;

import org.rnn4j.core.Tensor;

/**
 * Runs one cell over a batch of sequences in one direction, and back-propagates through the run.
 *
 * <p>Variable lengths: step {@code t} of sequence {@code b} is padding when
 * {@code t >= lengths[b]}. A padded step leaves the state unchanged, writes zeros to the output
 * and passes no gradient; so the final state of a sequence is its state after its own last real
 * step (in reverse direction: after step 0), and a sequence of length 0 ends in its initial state.
 */
public interface SequenceKernel {

    /**
     * Runs the cell over every step.
     *
     * @param input        {@code [B, T, I]}, batch first
     * @param lengths      real length of each sequence, each in {@code [0, T]}; null when all are {@code T}
     * @param reverse      whether to run from step {@code T-1} down to 0
     * @param initialState one {@code [B, H]} tensor per state name, a null entry for a state that
     *                     starts at zeros, or null for all zeros (the layers pass null entries when
     *                     no initial state is given)
     * @param output       receives the hidden state of every step, {@code [B, T, H]}, stored at the
     *                     time index it was computed for
     * @param finalState   receives the final state, one {@code [B, H]} tensor per state name
     * @param training     whether a backward pass will follow; when false nothing is kept for it
     * @return the backward pass of this run when {@code training}, else null
     * @throws IllegalArgumentException when a shape or length does not fit, naming it
     */
    Backward forward(Tensor input, int[] lengths, boolean reverse, Tensor[] initialState,
                     Tensor output, Tensor[] finalState, boolean training);

    /**
     * The backward pass of one forward run; run it at most once (the built-in cells and
     * {@link AutogradSequenceKernel} throw {@link IllegalStateException} on a second run: the
     * built-in cells hand the run's work buffers to the next training run when the first ends, and
     * a second pass would add its gradients twice). Implementations validate every argument with
     * {@link SequenceArguments#checkBackward} before changing anything, so a mistaken call can be
     * corrected and made again.
     */
    @FunctionalInterface
    interface Backward {

        /**
         * Back-propagates the given upstream gradients. Parameter gradients accumulate into the
         * cell's {@link org.rnn4j.core.Parameter#grad()}.
         *
         * @param dOutput       gradient for the output {@code [B, T, H]}, or null for none
         * @param dFinalState   gradients for the final state (null array or null entries for none)
         * @param dInput        receives (adds to) the gradient for the input {@code [B, T, I]}; null to skip
         * @param dInitialState receives (overwrites) the gradients for the initial state (null array or
         *                      null entries to skip)
         * @throws IllegalArgumentException when a gradient's shape or count does not fit, naming it
         */
        void run(Tensor dOutput, Tensor[] dFinalState, Tensor dInput, Tensor[] dInitialState);
    }
}
