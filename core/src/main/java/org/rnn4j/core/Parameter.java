package org.rnn4j.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor with the gradient accumulated for it. Backward passes add into
 * {@link #grad()}; optimizers read it and update {@link #value()}; {@link #zeroGrad()} clears it
 * between steps. Names follow PyTorch's state-dict keys ({@code weight_ih_l0}, ...) so weights
 * interchange with PyTorch.
 *
 * <p>Not thread-safe: one training thread owns a parameter's gradient.
 */
public final class Parameter {

    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /**
     * A parameter with a zero gradient of its value's shape.
     *
     * @param name  the state-dict key
     * @param value the trainable values; the parameter keeps this tensor, it does not copy it
     */
    public Parameter(String name, Tensor value) {
        this(name, Objects.requireNonNull(value, "value"), Tensor.zeros(value.shape()));
    }

    private Parameter(String name, Tensor value, Tensor grad) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.grad = grad;
    }

    /**
     * The same parameter under another name: value and gradient are shared, not copied. Layers use
     * it to give a cell's {@code weight_ih} its state-dict key {@code weight_ih_l1_reverse}.
     */
    public Parameter renamed(String newName) {
        return new Parameter(newName, value, grad);
    }

    /** A parameter of zeros with the given shape. */
    public static Parameter zeros(String name, int... shape) {
        return new Parameter(name, Tensor.zeros(shape));
    }

    /** The state-dict key. */
    public String name() {
        return name;
    }

    /** The trainable values. */
    public Tensor value() {
        return value;
    }

    /** The gradient accumulated since the last {@link #zeroGrad()}, of the value's shape. */
    public Tensor grad() {
        return grad;
    }

    /** The shape of the value (and of the gradient). */
    public int[] shape() {
        return value.shape();
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + Arrays.toString(value.shape()) + "]";
    }
}
