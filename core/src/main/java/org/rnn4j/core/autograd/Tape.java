package org.rnn4j.core.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;

/**
 * A small reverse-mode automatic differentiation tape over rank-2 batches ({@code [rows, cols]})
 * and rank-1 row vectors. Each operation computes its value at once and records how to push
 * gradients back; {@link #backward} replays the records in reverse. Enough to write a recurrent
 * cell's step ({@code linear}, element-wise arithmetic, activations, gate slicing and
 * concatenation) and get its backward pass for free.
 *
 * <p>Broadcasting: in {@link #add}, {@link #sub} and {@link #mul} the second operand may be a
 * rank-1 vector whose length equals the first operand's last dimension; it is applied to every row
 * and its gradient is summed over rows. A tape records one computation and is then discarded; it
 * is not thread-safe.
 */
public final class Tape {

    private interface Backward {
        void run();
    }

    private final Kernels kernels;
    private final List<Backward> records = new ArrayList<>();

    /** A tape computing on {@link Kernels#get()}. */
    public Tape() {
        this(Kernels.get());
    }

    /** A tape computing on the given kernels. */
    public Tape(Kernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /** A value no gradient flows into. */
    public Var constant(Tensor value) {
        return new Var(value, null, false);
    }

    /** A value whose gradient is collected in {@link Var#grad()}. */
    public Var input(Tensor value) {
        return new Var(value, null, true);
    }

    /** A trainable parameter: its gradient accumulates into {@link Parameter#grad()}. */
    public Var parameter(Parameter p) {
        return new Var(p.value(), p.grad(), true);
    }

    /**
     * {@code x W^T + b}: {@code x [B, in]}, {@code w [out, in]} (PyTorch's layout), {@code b [out]} or null.
     */
    public Var linear(Var x, Var w, Var b) {
        String op = "linear";
        Shapes.requireRank(op, "x", x.value, 2);
        Shapes.requireRank(op, "weight", w.value, 2);
        int rows = x.dim(0);
        int in = x.dim(1);
        int out = w.dim(0);
        if (w.dim(1) != in) {
            throw new IllegalArgumentException("linear: weight must have shape [" + out + ", " + in + "] for x "
                    + Arrays.toString(x.shape()) + ", given " + Arrays.toString(w.shape()));
        }
        if (b != null) {
            Shapes.require(op, "bias", b.value, out);
        }
        Tensor y = Tensor.zeros(rows, out);
        if (b != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b.value.data(), 0, y.data(), r * out, out);
            }
        }
        kernels.gemm(false, true, rows, out, in, 1f, x.value.data(), 0, in, w.value.data(), 0, in,
                b == null ? 0f : 1f, y.data(), 0, out);
        Var result = result(y, x, w, b);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                float[] dy = result.grad.data();
                if (x.requiresGrad) {
                    kernels.gemm(false, false, rows, in, out, 1f, dy, 0, out, w.value.data(), 0, in,
                            1f, x.grad().data(), 0, in);
                }
                if (w.requiresGrad) {
                    kernels.gemm(true, false, out, in, rows, 1f, dy, 0, out, x.value.data(), 0, in,
                            1f, w.grad().data(), 0, in);
                }
                if (b != null && b.requiresGrad) {
                    sumRowsInto(dy, rows, out, b.grad().data());
                }
            });
        }
        return result;
    }

    /** Element-wise {@code a + b}; {@code b} may be a row vector (see class doc). */
    public Var add(Var a, Var b) {
        return binary("add", a, b, 1f);
    }

    /** Element-wise {@code a - b}; {@code b} may be a row vector (see class doc). */
    public Var sub(Var a, Var b) {
        return binary("sub", a, b, -1f);
    }

    /** Element-wise {@code a * b}; {@code b} may be a row vector (see class doc). */
    public Var mul(Var a, Var b) {
        boolean row = broadcast("mul", a, b);
        int n = a.value.size();
        int cols = b.value.size();
        Tensor y = Tensor.zeros(a.shape());
        if (row) {
            for (int off = 0; off < n; off += cols) {
                kernels.mul(cols, a.value.data(), off, b.value.data(), 0, y.data(), off);
            }
        } else {
            kernels.mul(n, a.value.data(), 0, b.value.data(), 0, y.data(), 0);
        }
        Var result = result(y, a, b);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                float[] dy = result.grad.data();
                float[] tmp = new float[row ? cols : n];
                for (int off = 0; off < n; off += row ? cols : n) {
                    int len = row ? cols : n;
                    if (a.requiresGrad) {
                        kernels.mul(len, dy, off, b.value.data(), row ? 0 : off, tmp, 0);
                        kernels.axpy(len, 1f, tmp, 0, a.grad().data(), off);
                    }
                    if (b.requiresGrad) {
                        kernels.mul(len, dy, off, a.value.data(), off, tmp, 0);
                        kernels.axpy(len, 1f, tmp, 0, b.grad().data(), row ? 0 : off);
                    }
                }
            });
        }
        return result;
    }

    /** {@code alpha * a}. */
    public Var scale(Var a, float alpha) {
        Tensor y = Tensor.zeros(a.shape());
        kernels.scale(y.size(), alpha, a.value.data(), 0, y.data(), 0);
        Var result = result(y, a);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad != null) {
                    kernels.axpy(y.size(), alpha, result.grad.data(), 0, a.grad().data(), 0);
                }
            });
        }
        return result;
    }

    /** {@code 1 - a}, element-wise (the complement of a gate). */
    public Var oneMinus(Var a) {
        Tensor y = Tensor.zeros(a.shape());
        float[] av = a.value.data();
        float[] yv = y.data();
        for (int i = 0; i < yv.length; i++) {
            yv[i] = 1f - av[i];
        }
        Var result = result(y, a);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad != null) {
                    kernels.axpy(yv.length, -1f, result.grad.data(), 0, a.grad().data(), 0);
                }
            });
        }
        return result;
    }

    /** Logistic sigmoid. */
    public Var sigmoid(Var a) {
        return activation(a, Activation.SIGMOID);
    }

    /** Hyperbolic tangent. */
    public Var tanh(Var a) {
        return activation(a, Activation.TANH);
    }

    /** {@code max(0, a)}. */
    public Var relu(Var a) {
        return activation(a, Activation.RELU);
    }

    /**
     * Columns {@code [from, to)} of the last dimension of a rank-2 value: how a cell takes one gate
     * block out of a fused gate matrix.
     */
    public Var slice(Var a, int from, int to) {
        Shapes.requireRank("slice", "a", a.value, 2);
        int rows = a.dim(0);
        int cols = a.dim(1);
        if (from < 0 || to > cols || from >= to) {
            throw new IllegalArgumentException("slice: columns [" + from + ", " + to + ") are not inside the "
                    + cols + " columns of " + Arrays.toString(a.shape()));
        }
        int width = to - from;
        Tensor y = Tensor.zeros(rows, width);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.value.data(), r * cols + from, y.data(), r * width, width);
        }
        Var result = result(y, a);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                float[] ga = a.grad().data();
                for (int r = 0; r < rows; r++) {
                    kernels.axpy(width, 1f, result.grad.data(), r * width, ga, r * cols + from);
                }
            });
        }
        return result;
    }

    /** Concatenation of rank-2 values with equal row counts along the last dimension. */
    public Var concat(Var... given) {
        if (given.length == 0) {
            throw new IllegalArgumentException("concat: needs at least one value");
        }
        // The backward pass reads the parts later: a caller reusing its array must not redirect it.
        Var[] parts = given.clone();
        int rows = -1;
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Shapes.requireRank("concat", "part " + i, parts[i].value, 2);
            if (rows >= 0 && parts[i].dim(0) != rows) {
                throw new IllegalArgumentException("concat: part " + i + " has " + parts[i].dim(0)
                        + " rows, part 0 has " + rows);
            }
            rows = parts[i].dim(0);
            total += parts[i].dim(1);
        }
        Tensor y = Tensor.zeros(rows, total);
        int at = 0;
        for (Var p : parts) {
            int w = p.dim(1);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(p.value.data(), r * w, y.data(), r * total + at, w);
            }
            at += w;
        }
        Var result = result(y, parts);
        if (result.requiresGrad) {
            int finalRows = rows;
            int finalTotal = total;
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                int col = 0;
                for (Var p : parts) {
                    int w = p.dim(1);
                    if (p.requiresGrad) {
                        float[] gp = p.grad().data();
                        for (int r = 0; r < finalRows; r++) {
                            kernels.axpy(w, 1f, result.grad.data(), r * finalTotal + col, gp, r * w);
                        }
                    }
                    col += w;
                }
            });
        }
        return result;
    }

    /**
     * Row-wise choice: row {@code r} of the result is row {@code r} of {@code a} where
     * {@code fromA[r]}, else of {@code b}. Masking uses it to freeze the state of sequences that
     * have ended; the gradient of each row flows only to the operand it came from.
     */
    public Var selectRows(boolean[] fromA, Var a, Var b) {
        Shapes.requireRank("selectRows", "a", a.value, 2);
        Shapes.requireSame("selectRows", "b", a.value, b.value);
        int rows = a.dim(0);
        int cols = a.dim(1);
        if (fromA.length != rows) {
            throw new IllegalArgumentException("selectRows: needs " + rows + " row flags, given " + fromA.length);
        }
        boolean[] pick = fromA.clone();
        Tensor y = Tensor.zeros(rows, cols);
        for (int r = 0; r < rows; r++) {
            System.arraycopy((pick[r] ? a : b).value.data(), r * cols, y.data(), r * cols, cols);
        }
        Var result = result(y, a, b);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                for (int r = 0; r < rows; r++) {
                    Var src = pick[r] ? a : b;
                    if (src.requiresGrad) {
                        kernels.axpy(cols, 1f, result.grad.data(), r * cols, src.grad().data(), r * cols);
                    }
                }
            });
        }
        return result;
    }

    /** The gradient rule of a {@link #custom} operation. */
    @FunctionalInterface
    public interface Gradient {

        /**
         * Adds the operation's input gradients, given the gradient of its value.
         *
         * @param dValue  the gradient of the loss with respect to the operation's value (read-only)
         * @param dInputs per input, the tensor to add that input's gradient into (its shape), or
         *                null where no gradient flows into the input
         */
        void accumulate(Tensor dValue, Tensor[] dInputs);
    }

    /**
     * An operation the tape does not have, written by its user: {@code value} is what the
     * operation computed from the {@code inputs}' values, {@code gradient} its backward rule. How a
     * plugin cell uses a function outside this tape (an exponential gate, a layer norm) or a faster
     * hand-written backward for part of its step. The conformance kit checks the gradients of a
     * cell built on it against finite differences.
     *
     * @throws IllegalArgumentException when {@code inputs} is empty
     */
    public Var custom(Tensor value, Gradient gradient, Var... inputs) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(gradient, "gradient");
        if (inputs.length == 0) {
            throw new IllegalArgumentException("custom: needs at least one input (a value of no input is a constant)");
        }
        // The backward pass reads the inputs later: a caller reusing its array must not redirect it.
        Var[] parts = inputs.clone();
        for (int i = 0; i < parts.length; i++) {
            Objects.requireNonNull(parts[i], "custom: input " + i);
        }
        Var result = result(value, parts);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                Tensor[] dInputs = new Tensor[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    dInputs[i] = parts[i].requiresGrad ? parts[i].grad() : null;
                }
                gradient.accumulate(result.grad, dInputs);
            });
        }
        return result;
    }

    /**
     * Runs the backward pass: {@code seeds[i]} is the gradient of the loss with respect to
     * {@code outputs[i]} (null seeds are skipped). Gradients accumulate into every input's
     * {@link Var#grad()} and every parameter's {@link Parameter#grad()}. The recorded operations
     * are consumed: a later backward pass covers only operations recorded after this one.
     *
     * @throws IllegalArgumentException when the counts differ or a seed's shape is not its
     *                                  output's, before any gradient changes
     */
    public void backward(Var[] outputs, Tensor[] seeds) {
        if (outputs.length != seeds.length) {
            throw new IllegalArgumentException("backward: " + outputs.length + " outputs but " + seeds.length + " seeds");
        }
        for (int i = 0; i < outputs.length; i++) {
            if (seeds[i] != null && outputs[i].requiresGrad) {
                Shapes.requireSame("backward", "seed " + i, outputs[i].value, seeds[i]);
            }
        }
        for (int i = 0; i < outputs.length; i++) {
            if (seeds[i] == null || !outputs[i].requiresGrad) {
                continue;
            }
            kernels.axpy(seeds[i].size(), 1f, seeds[i].data(), 0, outputs[i].grad().data(), 0);
        }
        for (int i = records.size() - 1; i >= 0; i--) {
            records.get(i).run();
        }
        records.clear();
    }

    private enum Activation { SIGMOID, TANH, RELU }

    private Var activation(Var a, Activation kind) {
        int n = a.value.size();
        Tensor y = Tensor.zeros(a.shape());
        switch (kind) {
            case SIGMOID -> kernels.sigmoid(n, a.value.data(), 0, y.data(), 0);
            case TANH -> kernels.tanh(n, a.value.data(), 0, y.data(), 0);
            case RELU -> kernels.relu(n, a.value.data(), 0, y.data(), 0);
        }
        Var result = result(y, a);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                float[] dx = new float[n];
                switch (kind) {
                    case SIGMOID -> kernels.sigmoidBackward(n, y.data(), 0, result.grad.data(), 0, dx, 0);
                    case TANH -> kernels.tanhBackward(n, y.data(), 0, result.grad.data(), 0, dx, 0);
                    case RELU -> kernels.reluBackward(n, y.data(), 0, result.grad.data(), 0, dx, 0);
                }
                kernels.axpy(n, 1f, dx, 0, a.grad().data(), 0);
            });
        }
        return result;
    }

    private Var binary(String op, Var a, Var b, float sign) {
        boolean row = broadcast(op, a, b);
        int n = a.value.size();
        int cols = b.value.size();
        Tensor y = a.value.copy();
        for (int off = 0; off < n; off += row ? cols : n) {
            kernels.axpy(row ? cols : n, sign, b.value.data(), 0, y.data(), off);
        }
        Var result = result(y, a, b);
        if (result.requiresGrad) {
            records.add(() -> {
                if (result.grad == null) {
                    return;
                }
                float[] dy = result.grad.data();
                if (a.requiresGrad) {
                    kernels.axpy(n, 1f, dy, 0, a.grad().data(), 0);
                }
                if (b.requiresGrad) {
                    if (row) {
                        float[] gb = b.grad().data();
                        for (int off = 0; off < n; off += cols) {
                            kernels.axpy(cols, sign, dy, off, gb, 0);
                        }
                    } else {
                        kernels.axpy(n, sign, dy, 0, b.grad().data(), 0);
                    }
                }
            });
        }
        return result;
    }

    /** Whether {@code b} is a row vector broadcast over {@code a}'s rows; else the shapes must match. */
    private static boolean broadcast(String op, Var a, Var b) {
        if (Arrays.equals(a.value.shape(), b.value.shape())) {
            return false;
        }
        if (b.value.rank() == 1 && a.value.rank() >= 1 && a.dim(-1) == b.dim(0) && b.dim(0) > 0) {
            return true;
        }
        throw new IllegalArgumentException(op + ": b must have shape " + Arrays.toString(a.shape()) + " or ["
                + (a.value.rank() == 0 ? "?" : a.dim(-1)) + "], given " + Arrays.toString(b.shape()));
    }

    private void sumRowsInto(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            kernels.axpy(cols, 1f, src, r * cols, dst, 0);
        }
    }

    private static Var result(Tensor value, Var... inputs) {
        boolean needs = false;
        for (Var v : inputs) {
            if (v != null && v.requiresGrad) {
                needs = true;
                break;
            }
        }
        return new Var(value, null, needs);
    }
}
