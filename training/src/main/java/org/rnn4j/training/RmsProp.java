package org.rnn4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.optim.OptimizerProvider;

/**
 * RMSProp (Hinton, Coursera lecture 6e) with PyTorch's semantics: {@code g = grad + weight_decay * p},
 * {@code v = alpha * v + (1 - alpha) * g^2}; centered subtracts the squared running mean of
 * {@code g}; the step is {@code g / (sqrt(v) + eps)}, through a momentum buffer when
 * {@code momentum > 0}. Options: {@code alpha} (0.99), {@code eps} (1e-8), {@code momentum} (0),
 * {@code centered} (false), {@code weight_decay} (0).
 */
@Plugin(name = "rmsprop", description = "RMSProp; options alpha, eps, momentum, centered, weight_decay")
public final class RmsProp implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public RmsProp() {
    }

    @Override
    public Optimizer create(Options options) {
        options = options.requireOnly("optimizer 'rmsprop'", Set.of("alpha", "eps", "momentum", "centered", "weight_decay"));
        double alphaOption = options.number("alpha", 0.99, 0, 1);
        float alpha = (float) alphaOption;
        float keep = (float) (1 - alphaOption); // in double, then rounded, as PyTorch computes it
        float eps = (float) options.number("eps", 1e-8, 0, 1);
        float momentum = (float) options.number("momentum", 0, 0, 1);
        boolean centered = options.bool("centered", false);
        float decay = (float) options.number("weight_decay", 0, 0, Double.MAX_VALUE);
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        if (centered) {
            names.add("grad_avg");
        }
        int momentumSlot = names.indexOf("momentum_buffer");
        int meanSlot = names.indexOf("grad_avg");
        return new StatefulOptimizer() {
            @Override
            List<String> bufferNames() {
                return names;
            }

            @Override
            void update(Parameter p, float[][] bufs, long t, double rate, boolean fresh) {
                float[] w = p.value().data();
                float[] g = p.grad().data();
                float[] v = bufs[0];
                float lr = (float) rate;
                for (int i = 0; i < w.length; i++) {
                    float d = g[i] + decay * w[i];
                    v[i] = alpha * v[i] + keep * d * d;
                    float second = v[i];
                    if (meanSlot >= 0) {
                        float[] mean = bufs[meanSlot];
                        mean[i] = alpha * mean[i] + keep * d;
                        second -= mean[i] * mean[i];
                    }
                    float avg = (float) Math.sqrt(second) + eps;
                    if (momentumSlot >= 0) {
                        float[] buf = bufs[momentumSlot];
                        buf[i] = momentum * buf[i] + d / avg;
                        w[i] -= lr * buf[i];
                    } else {
                        w[i] -= lr * d / avg; // (lr * d) / avg, PyTorch's order
                    }
                }
            }
        };
    }
}
