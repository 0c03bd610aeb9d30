package org.rnn4j.core;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.core.kernel.Kernels;

/**
 * Tensor operations with checked shapes, running on one set of {@link Kernels}. Every method
 * validates its arguments and throws {@link IllegalArgumentException} naming the operation, the
 * expected and the given shapes; the kernels underneath then run unchecked.
 *
 * <p>Methods that return a tensor allocate it; methods named {@code ...Into} write into a tensor
 * the caller provides, for loops that must not allocate. Instances are immutable and thread-safe.
 */
public final class Ops {

    private static final Ops DEFAULT = new Ops(Kernels.get());

    private final Kernels kernels;

    private Ops(Kernels kernels) {
        this.kernels = kernels;
    }

    /** Operations on the kernels chosen for this JVM ({@link Kernels#get()}). */
    public static Ops get() {
        return DEFAULT;
    }

    /** Operations on the given kernels. */
    public static Ops using(Kernels kernels) {
        return new Ops(Objects.requireNonNull(kernels, "kernels"));
    }

    /** The kernels these operations run on. */
    public Kernels kernels() {
        return kernels;
    }

    /** Matrix product {@code a [m, k] x b [k, n] -> [m, n]}. */
    public Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    /** Matrix product {@code op(a) x op(b)}, where {@code op} transposes when its flag is set. */
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        int m = rows("matmul", "a", a, transposeA);
        int n = cols("matmul", "b", b, transposeB);
        requireInner(a, transposeA, b, transposeB);
        Tensor c = Tensor.zeros(m, n);
        gemmInto(1f, a, transposeA, b, transposeB, 0f, c);
        return c;
    }

    /**
     * {@code c = alpha * op(a) x op(b) + beta * c}, all rank 2.
     *
     * @throws IllegalArgumentException when the inner dimensions or {@code c}'s shape do not match
     */
    public void gemmInto(float alpha, Tensor a, boolean transposeA, Tensor b, boolean transposeB,
                         float beta, Tensor c) {
        int m = rows("gemm", "a", a, transposeA);
        int k = requireInner(a, transposeA, b, transposeB);
        int n = cols("gemm", "b", b, transposeB);
        Shapes.require("gemm", "c", c, m, n);
        kernels.gemm(transposeA, transposeB, m, n, k, alpha, a.data(), 0, a.dim(1), b.data(), 0, b.dim(1),
                beta, c.data(), 0, n);
    }

    /** Matrix-vector product {@code a [m, n] x x [n] -> [m]}. */
    public Tensor matvec(Tensor a, Tensor x) {
        Shapes.requireRank("matvec", "a", a, 2);
        Shapes.require("matvec", "x", x, a.dim(1));
        Tensor y = Tensor.zeros(a.dim(0));
        kernels.gemv(false, a.dim(0), a.dim(1), 1f, a.data(), 0, a.dim(1), x.data(), 0, 0f, y.data(), 0);
        return y;
    }

    /** Element-wise sum of two tensors of one shape. */
    public Tensor add(Tensor a, Tensor b) {
        Shapes.requireSame("add", "b", a, b);
        Tensor out = Tensor.zeros(a.shape());
        kernels.add(a.size(), a.data(), 0, b.data(), 0, out.data(), 0);
        return out;
    }

    /** Element-wise (Hadamard) product of two tensors of one shape. */
    public Tensor mul(Tensor a, Tensor b) {
        Shapes.requireSame("mul", "b", a, b);
        Tensor out = Tensor.zeros(a.shape());
        kernels.mul(a.size(), a.data(), 0, b.data(), 0, out.data(), 0);
        return out;
    }

    /** {@code alpha * x}. */
    public Tensor scale(Tensor x, float alpha) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.scale(x.size(), alpha, x.data(), 0, out.data(), 0);
        return out;
    }

    /** {@code y += alpha * x} in place. */
    public void axpy(float alpha, Tensor x, Tensor y) {
        Shapes.requireSame("axpy", "y", x, y);
        kernels.axpy(x.size(), alpha, x.data(), 0, y.data(), 0);
    }

    /** Logistic sigmoid, element-wise. */
    public Tensor sigmoid(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.sigmoid(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    /** Hyperbolic tangent, element-wise. */
    public Tensor tanh(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.tanh(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    /** {@code max(0, x)}, element-wise. */
    public Tensor relu(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.relu(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    /** {@code e^x}, element-wise. */
    public Tensor exp(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.exp(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    /** Natural logarithm, element-wise. */
    public Tensor log(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        kernels.log(x.size(), x.data(), 0, out.data(), 0);
        return out;
    }

    /** Softmax over the last dimension (numerically stable). */
    public Tensor softmax(Tensor x) {
        int cols = lastDim("softmax", x);
        Tensor out = Tensor.zeros(x.shape());
        kernels.softmax(x.size() / cols, cols, x.data(), 0, out.data(), 0);
        return out;
    }

    /** Log-softmax over the last dimension (numerically stable). */
    public Tensor logSoftmax(Tensor x) {
        int cols = lastDim("logSoftmax", x);
        Tensor out = Tensor.zeros(x.shape());
        kernels.logSoftmax(x.size() / cols, cols, x.data(), 0, out.data(), 0);
        return out;
    }

    /** Sum of all elements. */
    public float sum(Tensor x) {
        return kernels.sum(x.size(), x.data(), 0);
    }

    /**
     * Largest element.
     *
     * @throws IllegalArgumentException when the tensor is empty
     */
    public float max(Tensor x) {
        if (x.size() == 0) {
            throw new IllegalArgumentException("max: the tensor is empty (shape " + Arrays.toString(x.shape()) + ")");
        }
        return kernels.max(x.size(), x.data(), 0);
    }

    /** Euclidean norm of all elements. */
    public double norm2(Tensor x) {
        return kernels.norm2(x.size(), x.data(), 0);
    }

    /** The inner dimension of {@code op(a) x op(b)}, checked before anything is allocated. */
    private static int requireInner(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        int m = rows("gemm", "a", a, transposeA);
        int k = cols("gemm", "a", a, transposeA);
        int kb = rows("gemm", "b", b, transposeB);
        int n = cols("gemm", "b", b, transposeB);
        if (k != kb) {
            throw new IllegalArgumentException("gemm: inner dimensions differ: op(a) is " + m + "x" + k
                    + " (a " + Arrays.toString(a.shape()) + (transposeA ? ", transposed" : "") + "), op(b) is "
                    + kb + "x" + n + " (b " + Arrays.toString(b.shape()) + (transposeB ? ", transposed" : "") + ")");
        }
        return k;
    }

    private static int rows(String op, String name, Tensor t, boolean transposed) {
        Shapes.requireRank(op, name, t, 2);
        return transposed ? t.dim(1) : t.dim(0);
    }

    private static int cols(String op, String name, Tensor t, boolean transposed) {
        Shapes.requireRank(op, name, t, 2);
        return transposed ? t.dim(0) : t.dim(1);
    }

    private static int lastDim(String op, Tensor x) {
        if (x.rank() == 0 || x.dim(-1) == 0) {
            throw new IllegalArgumentException(op + ": needs a non-empty last dimension, given shape "
                    + Arrays.toString(x.shape()));
        }
        return x.dim(-1);
    }
}
