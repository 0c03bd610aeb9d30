package org.rnn4j.training;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.optim.OptimizerProvider;

/**
 * Adagrad (Duchi et al. 2011) with PyTorch's semantics: {@code g = grad + weight_decay * p},
 * {@code sum += g^2}, {@code p -= rate / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)}.
 * Options: {@code lr_decay} (0), {@code initial_accumulator_value} (0), {@code eps} (1e-10),
 * {@code weight_decay} (0).
 */
@Plugin(name = "adagrad", description = "Adagrad; options lr_decay, initial_accumulator_value, eps, weight_decay")
public final class Adagrad implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Adagrad() {
    }

    @Override
    public Optimizer create(Options options) {
        options = options.requireOnly("optimizer 'adagrad'", Set.of("lr_decay", "initial_accumulator_value", "eps", "weight_decay"));
        double rateDecay = options.number("lr_decay", 0, 0, Double.MAX_VALUE);
        float initial = (float) options.number("initial_accumulator_value", 0, 0, Double.MAX_VALUE);
        float eps = (float) options.number("eps", 1e-10, 0, 1);
        float decay = (float) options.number("weight_decay", 0, 0, Double.MAX_VALUE);
        return new StatefulOptimizer() {
            @Override
            List<String> bufferNames() {
                return List.of("sum");
            }

            @Override
            void update(Parameter p, float[][] bufs, long t, double rate, boolean fresh) {
                float[] w = p.value().data();
                float[] g = p.grad().data();
                float[] sum = bufs[0];
                if (fresh) {
                    Arrays.fill(sum, initial);
                }
                float lr = (float) (rate / (1 + (t - 1) * rateDecay));
                for (int i = 0; i < w.length; i++) {
                    float d = g[i] + decay * w[i];
                    sum[i] += d * d;
                    w[i] -= lr * d / ((float) Math.sqrt(sum[i]) + eps);
                }
            }
        };
    }
}
