package org.rnn4j.core.kernel;

import java.util.function.IntConsumer;

/**
 * The numeric kernels every other part of rnn4j is written on: BLAS-like products, element-wise
 * arithmetic, activations with their derivatives, and reductions, over row-major {@code float[]}
 * arrays addressed by offsets.
 *
 * <p>Two implementations exist: a SIMD one written on the JDK Vector API and a plain-Java scalar
 * twin ({@link ScalarKernels}) that serves as the reference and as the fallback. {@link #get()}
 * picks one once, at first use, and logs the choice; the system property
 * {@value #IMPLEMENTATION_PROPERTY}{@code =scalar} forces the scalar twin. Both implementations
 * are stateless and safe for use by many threads at once.
 *
 * <p>Conventions: {@code n} counts elements; every array is paired with the offset of its first
 * element; matrices are row-major with an explicit leading dimension (the distance between two rows).
 * Element-wise outputs may alias their input exactly (same array, same offset) but must not overlap
 * it otherwise. These methods do not validate arguments beyond what the JVM's bounds checks do:
 * callers validate shapes (see {@code org.rnn4j.core.Ops}, which does).
 */
public interface Kernels {

    /** System property that selects the implementation: {@code vector} (default when usable) or {@code scalar}. */
    String IMPLEMENTATION_PROPERTY = "rnn4j.kernels";

    /** System property that caps the threads a kernel may use (default: available processors). */
    String THREADS_PROPERTY = org.rnn4j.core.parallel.WorkerPool.THREADS_PROPERTY;

    /**
     * The kernels chosen for this JVM: the Vector API implementation when the
     * {@code jdk.incubator.vector} module is readable and the hardware has SIMD registers of at
     * least 128 bits, else the scalar twin. Chosen once and logged once through {@link System.Logger}.
     */
    static Kernels get() {
        return KernelSelector.DEFAULT;
    }

    /** The scalar reference kernels, single-threaded. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The Vector API kernels using at most {@code threads} threads for large products.
     *
     * @throws UnsupportedOperationException when the Vector API is not usable in this JVM, with the reason
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    static Kernels vector(int threads) {
        return KernelSelector.vector(threads);
    }

    /** Short name of the implementation: {@code "vector"} or {@code "scalar"}. */
    String name();

    /** Width of the SIMD registers used, in bits; 0 for the scalar twin. */
    int vectorBitSize();

    /** Largest number of threads a single kernel call may use. */
    int maxThreads();

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)}, each exactly once, on up
     * to {@link #maxThreads()} threads (the caller's among them), and returns when all have finished.
     * For work larger than one kernel call that splits into independent parts, such as a recurrence
     * over disjoint rows of a batch: the parts run whole, with no hand-off per step. Kernel calls made
     * inside a task run on that task's thread. Tasks must write disjoint data. This default runs them
     * in order on the caller.
     *
     * @param tasks how many tasks
     * @param task  the work of task {@code i}
     */
    default void parallel(int tasks, IntConsumer task) {
        for (int i = 0; i < tasks; i++) {
            task.accept(i);
        }
    }

    // ---- products ---------------------------------------------------------------------------

    /**
     * General matrix product {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(X)} is
     * {@code X} or its transpose. {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n},
     * {@code C} is {@code m x n}. When {@code beta == 0}, {@code C} is not read (NaN in it is overwritten).
     *
     * @param transA whether A is stored transposed ({@code k x m}, leading dimension {@code lda >= m})
     * @param transB whether B is stored transposed ({@code n x k}, leading dimension {@code ldb >= k})
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * A right-hand operand prepared once for many products, as a recurrent layer needs for its
     * recurrent weights at every time step. It holds a snapshot: later writes to the source array
     * are not seen. Safe to share between threads.
     */
    interface PackedMatrix {
        /** Rows of {@code op(B)}: the inner dimension {@code k} of the products. */
        int rows();

        /** Columns of {@code op(B)}: the {@code n} of the products. */
        int cols();
    }

    /**
     * Prepares {@code op(B)} ({@code k x n}) for {@link #gemm(boolean, int, float, float[], int, int,
     * PackedMatrix, float, float[], int, int)}.
     *
     * @param transB whether B is stored transposed ({@code n x k}, leading dimension {@code ldb >= k})
     */
    PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb);

    /**
     * {@code C = alpha * op(A) * B + beta * C} with a prepared {@code B}: the same result as
     * {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float,
     * float[], int, int)} on the packed values, without repacking them at every call.
     *
     * @throws IllegalArgumentException when {@code b} was packed by other kernels
     */
    void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Matrix-vector product {@code y = alpha * op(A) * x + beta * y}; {@code A} is stored
     * {@code m x n} (row-major, leading dimension {@code lda}). With {@code transA}, {@code x} has
     * {@code m} elements and {@code y} has {@code n}; otherwise {@code x} has {@code n}, {@code y} {@code m}.
     * When {@code beta == 0}, {@code y} is not read.
     */
    void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
              float[] x, int xOff, float beta, float[] y, int yOff);

    /** Dot product of {@code n} elements. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    // ---- element-wise arithmetic --------------------------------------------------------------

    /** {@code out[i] = a[i] + b[i]}. */
    void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** {@code out[i] = a[i] * b[i]} (Hadamard product). */
    void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** {@code out[i] = alpha * x[i]}. */
    void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    // ---- activations (derivatives are computed from the outputs) -----------------------------

    /** {@code out[i] = 1 / (1 + exp(-x[i]))}. */
    void sigmoid(int n, float[] x, int xOff, float[] out, int outOff);

    /** {@code out[i] = tanh(x[i])}. */
    void tanh(int n, float[] x, int xOff, float[] out, int outOff);

    /** {@code out[i] = max(0, x[i])}; NaN stays NaN. */
    void relu(int n, float[] x, int xOff, float[] out, int outOff);

    /** {@code out[i] = exp(x[i])}. */
    void exp(int n, float[] x, int xOff, float[] out, int outOff);

    /** {@code out[i] = log(x[i])} (natural logarithm). */
    void log(int n, float[] x, int xOff, float[] out, int outOff);

    /** Gradient through a sigmoid given its output {@code y}: {@code dx[i] = dy[i] * y[i] * (1 - y[i])}. */
    void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** Gradient through a tanh given its output {@code y}: {@code dx[i] = dy[i] * (1 - y[i]^2)}. */
    void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /** Gradient through a relu given its output {@code y}: {@code dx[i] = y[i] > 0 ? dy[i] : 0}. */
    void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /**
     * Row-wise softmax of a {@code rows x cols} block with leading dimension {@code cols}: each row
     * is shifted by its maximum before exponentiation, so large inputs do not overflow.
     */
    void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff);

    /** Row-wise log-softmax, computed as {@code x - max - log(sum(exp(x - max)))} for stability. */
    void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff);

    // ---- fused recurrent gate passes (one sequence row, hidden size h) -------------------------

    /**
     * The LSTM gate pass of one row: {@code gates} holds the pre-activations {@code [i, f, g, o]}
     * ({@code 4h} values) and is overwritten with their activations ({@code σ, σ, tanh, σ}); then
     * {@code c = f*c + i*g} (in place), {@code tanhC = tanh(c)}, {@code h = o*tanhC}.
     */
    void lstmForward(int h, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tcOff,
                     float[] hOut, int hOff);

    /**
     * The LSTM backward pass of one row, from the activated gates, the previous cell state and
     * {@code tanh(c)}: with {@code dc' = dc + dh*o*(1 - tanhC^2)}, writes the pre-activation
     * gradients {@code dGates = [dc'*g*i(1-i), dc'*cPrev*f(1-f), dc'*i*(1-g^2), dh*tanhC*o(1-o)]}
     * and replaces {@code dc} with the gradient for the previous cell state, {@code dc'*f}.
     */
    void lstmBackward(int h, float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                      float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff);

    /**
     * The GRU gate pass of one row ("reset after"): {@code gi} holds {@code W_i x + b_i} and
     * {@code gh} holds {@code W_h h + b_h}, each {@code [r, z, n]} ({@code 3h} values); {@code gi} is
     * overwritten with the activations {@code r, z, n} where {@code n = tanh(gi_n + r*gh_n)}, and
     * {@code hState} (in place) becomes {@code (1 - z)*n + z*h}.
     */
    void gruForward(int h, float[] gi, int giOff, float[] gh, int ghOff, float[] hState, int hOff);

    /**
     * The GRU backward pass of one row, from the activations {@code [r, z, n]}, the recurrent
     * projections {@code gh} (only {@code gh_n} is read) and the previous state: writes the gradients
     * for the input projections {@code dGi = [dar, daz, dan]}, for the recurrent projections
     * {@code dGh = [dar, daz, dan*r]}, and the direct gradient for the previous state {@code dh*z},
     * where {@code dan = dh*(1-z)*(1-n^2)}, {@code dar = dan*gh_n*r(1-r)}, {@code daz = dh*(hPrev-n)*z(1-z)}.
     */
    void gruBackward(int h, float[] act, int aOff, float[] gh, int ghOff, float[] hPrev, int hpOff,
                     float[] dh, int dhOff, float[] dGi, int dgiOff, float[] dGh, int dghOff,
                     float[] dhDirect, int ddOff);

    // ---- reductions -------------------------------------------------------------------------

    /** Sum of {@code n} elements. */
    float sum(int n, float[] x, int xOff);

    /** Largest of {@code n >= 1} elements; NaN if any element is NaN. */
    float max(int n, float[] x, int xOff);

    /**
     * The position (counted from {@code xOff}) of the first NaN or infinity among {@code n}
     * elements, or -1 when all are finite.
     */
    int firstNonFinite(int n, float[] x, int xOff);

    /** Sum of squares of {@code n} elements, accumulated in double precision. */
    double sumOfSquares(int n, float[] x, int xOff);

    /** Euclidean (L2) norm of {@code n} elements. */
    default double norm2(int n, float[] x, int xOff) {
        return Math.sqrt(sumOfSquares(n, x, xOff));
    }
}
