package org.rnn4j.spi.training;

import java.util.List;
import org.rnn4j.core.Parameter;

/** Rewrites accumulated gradients in place between the backward pass and the optimizer step. */
public interface GradientTransform {

    /**
     * Transforms the gradients of {@code parameters} in place.
     *
     * @return the global L2 norm of all gradients before and after, for listeners to report
     */
    GradientReport apply(List<Parameter> parameters);

    /**
     * Norms seen by one {@link #apply} call.
     *
     * @param normBefore global L2 norm of all gradients before the transform
     * @param normAfter  global L2 norm after it
     */
    record GradientReport(double normBefore, double normAfter) {
        /** Whether the transform changed the gradients' norm. */
        public boolean changed() {
            return normBefore != normAfter;
        }
    }
}
