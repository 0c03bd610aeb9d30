package org.rnn4j.training;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.optim.OptimizerProvider;

/**
 * Stochastic gradient descent with PyTorch's semantics: {@code g = grad + weight_decay * p}; with
 * momentum {@code buf = momentum * buf + g} (the first step takes {@code buf = g}); Nesterov uses
 * {@code g + momentum * buf}; then {@code p -= rate * update}. Options: {@code momentum} (0),
 * {@code nesterov} (false), {@code weight_decay} (0).
 */
@Plugin(name = "sgd", description = "SGD with optional momentum, Nesterov momentum and weight decay")
public final class Sgd implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Sgd() {
    }

    @Override
    public Optimizer create(Options options) {
        options = options.requireOnly("optimizer 'sgd'", Set.of("momentum", "nesterov", "weight_decay"));
        float momentum = (float) options.number("momentum", 0, 0, 1);
        boolean nesterov = options.bool("nesterov", false);
        float decay = (float) options.number("weight_decay", 0, 0, Double.MAX_VALUE);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("optimizer 'sgd': nesterov needs momentum > 0");
        }
        return new StatefulOptimizer() {
            @Override
            List<String> bufferNames() {
                return momentum == 0 ? List.of() : List.of("momentum_buffer");
            }

            @Override
            void update(Parameter p, float[][] bufs, long t, double rate) {
                float[] w = p.value().data();
                float[] g = p.grad().data();
                float lr = (float) rate;
                for (int i = 0; i < w.length; i++) {
                    float d = g[i] + decay * w[i];
                    if (momentum != 0) {
                        float[] buf = bufs[0];
                        buf[i] = t == 1 ? d : momentum * buf[i] + d;
                        d = nesterov ? d + momentum * buf[i] : buf[i];
                    }
                    w[i] -= lr * d;
                }
            }
        };
    }
}
