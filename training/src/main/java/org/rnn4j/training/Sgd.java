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
 * momentum {@code buf = momentum * buf + (1 - dampening) * g} (the first step takes {@code buf = g});
 * Nesterov uses {@code g + momentum * buf}; then {@code p -= rate * update}. Options:
 * {@code momentum} (0), {@code dampening} (0), {@code nesterov} (false), {@code weight_decay} (0).
 */
@Plugin(name = "sgd", description = "SGD with optional momentum, dampening, Nesterov momentum and weight decay")
public final class Sgd implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Sgd() {
    }

    @Override
    public Optimizer create(Options options) {
        options = options.requireOnly("optimizer 'sgd'", Set.of("momentum", "dampening", "nesterov", "weight_decay"));
        float momentum = (float) options.number("momentum", 0, 0, 1);
        double dampeningOption = options.number("dampening", 0, 0, 1);
        float dampen = (float) (1 - dampeningOption);
        boolean nesterov = options.bool("nesterov", false);
        float decay = (float) options.number("weight_decay", 0, 0, Double.MAX_VALUE);
        if (nesterov && (momentum == 0 || dampeningOption != 0)) {
            throw new IllegalArgumentException("optimizer 'sgd': nesterov needs momentum > 0 and dampening 0, given momentum "
                    + momentum + ", dampening " + dampeningOption);
        }
        return new StatefulOptimizer() {
            @Override
            List<String> bufferNames() {
                return momentum == 0 ? List.of() : List.of("momentum_buffer");
            }

            @Override
            void update(Parameter p, float[][] bufs, long t, double rate, boolean fresh) {
                float[] w = p.value().data();
                float[] g = p.grad().data();
                float lr = (float) rate;
                for (int i = 0; i < w.length; i++) {
                    float d = g[i] + decay * w[i];
                    if (momentum != 0) {
                        float[] buf = bufs[0];
                        buf[i] = fresh ? d : momentum * buf[i] + dampen * d;
                        d = nesterov ? d + momentum * buf[i] : buf[i];
                    }
                    w[i] -= lr * d;
                }
            }
        };
    }
}
