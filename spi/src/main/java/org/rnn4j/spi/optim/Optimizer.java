package org.rnn4j.spi.optim;

import java.util.List;
import java.util.Map;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

/**
 * Updates parameters from their accumulated gradients. Lifecycle: create, then call {@link #step}
 * once per mini-batch with the parameters to update (matched by name; one left out of a step, frozen
 * or not yet trained, keeps its state and, in the built-in optimizers, its own step count, as in
 * PyTorch); {@link #state} and {@link #loadState} carry moment estimates and step counts through
 * checkpoints.
 * Not thread-safe.
 */
public interface Optimizer {

    /**
     * Applies one update to every parameter from its gradient, at learning rate {@code rate}
     * (the caller applies any schedule).
     */
    void step(List<Parameter> parameters, double rate);

    /** Number of {@link #step} calls so far. */
    long steps();

    /** The optimizer's state as named tensors (for example {@code exp_avg.weight_ih_l0}), for checkpoints. */
    Map<String, Tensor> state();

    /**
     * Restores a state saved by {@link #state}.
     *
     * @throws IllegalArgumentException when a tensor is missing, unexpected or mis-shaped, naming it
     */
    void loadState(Map<String, Tensor> state);
}
