package org.rnn4j.core.autograd;

import java.util.Arrays;
import org.rnn4j.core.Tensor;

/**
 * A value recorded on a {@link Tape}, with the gradient that {@link Tape#backward} accumulates
 * for it. Created only by a tape.
 */
public final class Var {

    final Tensor value;
    Tensor grad;
    final boolean requiresGrad;

    Var(Tensor value, Tensor grad, boolean requiresGrad) {
        this.value = value;
        this.grad = grad;
        this.requiresGrad = requiresGrad;
    }

    /** The forward value. Treat it as read-only: the tape's backward pass reads it. */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient of the seeded outputs with respect to this value, after {@link Tape#backward};
     * zeros when nothing flowed into it.
     */
    public Tensor grad() {
        if (grad == null) {
            grad = Tensor.zeros(value.shape());
        }
        return grad;
    }

    /** The value's shape. */
    public int[] shape() {
        return value.shape();
    }

    /** Size of dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return value.dim(axis);
    }

    /** Whether gradients flow into this value. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    @Override
    public String toString() {
        return "Var" + Arrays.toString(value.shape());
    }
}
