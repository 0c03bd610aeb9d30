package org.rnn4j.training;

import java.util.List;
import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.optim.OptimizerProvider;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's semantics and bias correction. Options: {@code beta1}
 * (0.9), {@code beta2} (0.999), {@code eps} (1e-8), {@code weight_decay} (0, added to the gradient
 * as L2 regularization; see {@code adamw} for the decoupled form).
 */
@Plugin(name = "adam", description = "Adam with bias correction; options beta1, beta2, eps, weight_decay")
public final class Adam implements OptimizerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Adam() {
    }

    @Override
    public Optimizer create(Options options) {
        return create("adam", options, false);
    }

    static Optimizer create(String name, Options options, boolean decoupled) {
        options = options.requireOnly("optimizer '" + name + "'", Set.of("beta1", "beta2", "eps", "weight_decay"));
        double beta1 = options.number("beta1", 0.9, 0, 0.999999);
        double beta2 = options.number("beta2", 0.999, 0, 0.999999999);
        double eps = options.number("eps", 1e-8, 0, 1);
        double decay = options.number("weight_decay", decoupled ? 0.01 : 0, 0, Double.MAX_VALUE);
        return new StatefulOptimizer() {
            @Override
            List<String> bufferNames() {
                return List.of("exp_avg", "exp_avg_sq");
            }

            @Override
            void update(Parameter p, float[][] bufs, long t, double rate, boolean fresh) {
                float[] w = p.value().data();
                float[] g = p.grad().data();
                float[] m = bufs[0];
                float[] v = bufs[1];
                double c1 = 1 - Math.pow(beta1, t);
                double c2 = 1 - Math.pow(beta2, t);
                float b1 = (float) beta1;
                float b2 = (float) beta2;
                // 1 - beta in double, then rounded, as PyTorch computes it: 1 - 0.999f is 1.3e-5 off 0.001.
                float keep1 = (float) (1 - beta1);
                float keep2 = (float) (1 - beta2);
                float stepSize = (float) (rate / c1);
                float sqrtC2 = (float) Math.sqrt(c2);
                float e = (float) eps;
                float shrink = decoupled ? (float) (1 - rate * decay) : 1f;
                float l2 = decoupled ? 0f : (float) decay;
                for (int i = 0; i < w.length; i++) {
                    float d = g[i] + l2 * w[i];
                    m[i] = b1 * m[i] + keep1 * d;
                    v[i] = b2 * v[i] + keep2 * d * d;
                    w[i] = w[i] * shrink - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + e);
                }
            }
        };
    }
}
