package org.rnn4j.training;

import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.spi.training.GradientTransformProvider;

/**
 * Clipping by global norm (Pascanu et al. 2013) as PyTorch's {@code clip_grad_norm_} does it: with
 * {@code n = ||g||} over all parameters together and {@code c} the option {@code max_norm}
 * (required), {@code g <- g * min(1, c / (n + 1e-6))}, so {@code g <- c g / n} up to the 1e-6 that
 * keeps a zero norm finite. With {@code per_parameter=true} each parameter's gradient is clipped by
 * its own norm instead.
 */
@Plugin(name = "clip-norm", description = "Clip gradients by global L2 norm; options max_norm, per_parameter")
public final class ClipNorm implements GradientTransformProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ClipNorm() {
    }

    @Override
    public GradientTransform create(Options options) {
        options = options.requireOnly("gradient transform 'clip-norm'", Set.of("max_norm", "per_parameter"));
        if (!options.has("max_norm")) {
            throw new IllegalArgumentException("gradient transform 'clip-norm' needs option max_norm (> 0)");
        }
        double maxNorm = options.number("max_norm", 1, Double.MIN_VALUE, Double.MAX_VALUE);
        boolean perParameter = options.bool("per_parameter", false);
        Kernels k = Kernels.get();
        return parameters -> {
            double before = GradientNorms.global(parameters);
            if (perParameter) {
                for (Parameter p : parameters) {
                    float factor = factor(maxNorm, k.norm2(p.grad().size(), p.grad().data(), 0));
                    if (factor < 1) {
                        k.scale(p.grad().size(), factor, p.grad().data(), 0, p.grad().data(), 0);
                    }
                }
            } else {
                float factor = factor(maxNorm, before);
                if (factor < 1) {
                    for (Parameter p : parameters) {
                        k.scale(p.grad().size(), factor, p.grad().data(), 0, p.grad().data(), 0);
                    }
                }
            }
            return new GradientTransform.GradientReport(before, GradientNorms.global(parameters));
        };
    }

    /** PyTorch's clip coefficient, {@code max_norm / (norm + 1e-6)}, rounded to float and capped at 1. */
    private static float factor(double maxNorm, double norm) {
        return Math.min(1f, (float) (maxNorm / (norm + 1e-6)));
    }
}
