package org.rnn4j.training;

import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.optim.OptimizerProvider;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019): {@code p *= 1 - rate * weight_decay}
 * before the Adam step. Options as {@link Adam}, with {@code weight_decay} defaulting to 0.01 (PyTorch's).
 */
@Plugin(name = "adamw", description = "Adam with decoupled weight decay; options beta1, beta2, eps, weight_decay")
public final class AdamW implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public AdamW() {
    }

    @Override
    public Optimizer create(Options options) {
        return Adam.create("adamw", options, true);
    }
}
