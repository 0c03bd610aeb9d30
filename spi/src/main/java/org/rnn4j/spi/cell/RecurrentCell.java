package org.rnn4j.spi.cell;

import java.util.List;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.autograd.Tape;
import org.rnn4j.core.autograd.Var;

/**
 * One recurrent cell: parameters plus the step {@code (x_t, state_{t-1}) -> state_t}. The state is
 * one or more {@code [B, H]} tensors; state 0 is the hidden state {@code h}, which is also the
 * cell's output (an LSTM's state is {@code h, c}).
 *
 * <p>A plugin author implements {@link #step} with the tape's differentiable operations and gets
 * the backward pass for free; {@link #sequenceKernel()} may be overridden with a hand-fused forward
 * and backward over whole sequences for speed (the built-in cells do). Both must compute the same
 * function; the conformance kit checks it.
 *
 * <p>A cell owns its parameters. Running it ({@link SequenceKernel#forward}) only reads them, so
 * many threads may run inference at once; backward passes accumulate into the parameters'
 * gradients and must be confined to one thread.
 */
public interface RecurrentCell {

    /** Features per step of the input. */
    int inputSize();

    /** Size of the hidden state {@code h} and of the output. */
    int hiddenSize();

    /** Names of the state tensors, output first: {@code ["h"]} or {@code ["h", "c"]}. */
    List<String> stateNames();

    /**
     * The trainable parameters, named as PyTorch names them within one layer and direction
     * ({@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}); layers add the
     * {@code _l0}, {@code _reverse} suffixes.
     */
    List<Parameter> parameters();

    /**
     * One step on a batch, recorded on {@code tape}.
     *
     * @param params the cell's parameters as tape values
     * @param x      the input at this step, {@code [B, inputSize]}
     * @param state  the previous state, one {@code [B, hiddenSize]} value per {@link #stateNames()} entry
     * @return the new state, in the same order, each {@code [B, hiddenSize]}
     */
    Var[] step(Tape tape, CellParameters params, Var x, Var[] state);

    /**
     * How a layer runs this cell over whole sequences. The default derives forward and backward
     * from {@link #step} on a tape; cells override it with hand-fused kernels.
     */
    default SequenceKernel sequenceKernel() {
        return new AutogradSequenceKernel(this);
    }

    /**
     * How a stream advances this cell one step at a time for a batch of {@code batch} sequences.
     * The default runs {@link #step} on a fresh tape (allocating per step); cells override it with
     * allocation-free kernels, which may take a snapshot of the weights when created: make a new
     * step kernel after the weights change.
     *
     * @throws IllegalArgumentException when {@code batch < 1}
     */
    default StepKernel stepKernel(int batch) {
        return AutogradSequenceKernel.stepKernel(this, batch);
    }
}
