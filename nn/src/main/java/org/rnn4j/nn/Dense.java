package org.rnn4j.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.spi.cell.Init;

/**
 * An affine layer {@code y = x W^T + b} (PyTorch's {@code nn.Linear}: {@code weight [out, in]},
 * {@code bias [out]}), applied to the last dimension of any input: {@code [B, in]} for a last state,
 * {@code [B, T, in]} for every time step. Inference is thread-safe; backward passes accumulate into
 * the parameters' gradients.
 */
public final class Dense {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final Kernels k = Kernels.get();

    /**
     * A layer with Glorot-uniform weights and zero bias.
     *
     * @throws IllegalArgumentException when a size is below 1
     */
    public Dense(int in, int out, long seed) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Dense: sizes must be >= 1, given in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = Parameter.zeros("weight", out, in);
        this.bias = Parameter.zeros("bias", out);
        Init.glorotUniform(weight.value(), 1, new SplittableRandom(seed));
    }

    /** Input features. */
    public int inputSize() {
        return in;
    }

    /** Output features. */
    public int outputSize() {
        return out;
    }

    /** {@code weight} and {@code bias}. */
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** The result of one forward call, with its backward pass. */
    public final class Output {
        private final Tensor x;
        private final Tensor y;
        private boolean backwardDone;

        private Output(Tensor x, Tensor y) {
            this.x = x;
            this.y = y;
        }

        /** {@code [..., out]}. */
        public Tensor value() {
            return y;
        }

        /**
         * Accumulates parameter gradients and returns the input gradient.
         *
         * @param dy gradient for {@link #value()}
         * @throws IllegalStateException when it already ran: a second run would add the gradients twice
         */
        public Tensor backward(Tensor dy) {
            Shapes.requireSame("Dense.backward", "dy", y, dy);
            if (backwardDone) {
                throw new IllegalStateException("Dense.backward: already ran for this forward call");
            }
            backwardDone = true;
            int rows = x.size() / in;
            k.gemm(true, false, out, in, rows, 1f, dy.data(), 0, out, x.data(), 0, in, 1f, weight.grad().data(), 0, in);
            float[] db = bias.grad().data();
            for (int r = 0; r < rows; r++) {
                k.axpy(out, 1f, dy.data(), r * out, db, 0);
            }
            Tensor dx = Tensor.zeros(x.shape());
            k.gemm(false, false, rows, in, out, 1f, dy.data(), 0, out, weight.value().data(), 0, in, 0f, dx.data(), 0, in);
            return dx;
        }
    }

    /**
     * Applies the layer to the last dimension of {@code x}.
     *
     * @throws IllegalArgumentException when the last dimension is not {@code in}, or {@code x} holds a NaN or
     *                                  infinity (see {@link Finite})
     */
    public Output forward(Tensor x) {
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw new IllegalArgumentException("Dense.forward: input's last dimension must be " + in + ", given shape "
                    + Arrays.toString(x.shape()));
        }
        Finite.require("Dense.forward", "input", x);
        int rows = x.size() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor y = Tensor.zeros(shape);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias.value().data(), 0, y.data(), r * out, out);
        }
        if (rows > 0) {
            k.gemm(false, true, rows, out, in, 1f, x.data(), 0, in, weight.value().data(), 0, in, 1f, y.data(), 0, out);
        }
        return new Output(x, y);
    }

    @Override
    public String toString() {
        return "Dense[" + in + " -> " + out + "]";
    }
}
