package org.rnn4j.training;

import java.util.List;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.kernel.Kernels;

/** Norms over many parameters' gradients. */
public final class GradientNorms {

    private GradientNorms() {
    }

    /** The L2 norm of all gradients together, {@code sqrt(sum over parameters of ||g||^2)}. */
    public static double global(List<Parameter> parameters) {
        Kernels k = Kernels.get();
        double sum = 0;
        for (Parameter p : parameters) {
            sum += k.sumOfSquares(p.grad().size(), p.grad().data(), 0);
        }
        return Math.sqrt(sum);
    }
}
