package org.rnn4j.training;

import java.util.Set;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.spi.training.GradientTransformProvider;

/** Element-wise clipping to {@code [-max_value, max_value]} (option {@code max_value}, required). NaN stays NaN. */
@Plugin(name = "clip-value", description = "Clip every gradient element to [-max_value, max_value]")
public final class ClipValue implements GradientTransformProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ClipValue() {
    }

    @Override
    public GradientTransform create(Options options) {
        options = options.requireOnly("gradient transform 'clip-value'", Set.of("max_value"));
        if (!options.has("max_value")) {
            throw new IllegalArgumentException("gradient transform 'clip-value' needs option max_value (> 0)");
        }
        float max = (float) options.number("max_value", 1, Double.MIN_VALUE, Float.MAX_VALUE);
        return parameters -> {
            double before = GradientNorms.global(parameters);
            for (Parameter p : parameters) {
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) {
                    if (g[i] > max) {
                        g[i] = max;
                    } else if (g[i] < -max) {
                        g[i] = -max;
                    }
                }
            }
            return new GradientTransform.GradientReport(before, GradientNorms.global(parameters));
        };
    }
}
