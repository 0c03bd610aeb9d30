package org.rnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.kernel.Kernels;

/**
 * Single-precision GEMM {@code C = A * B} (no transposes, alpha 1, beta 0): the Vector API kernels
 * on one thread ({@code vector1T}) and on every available processor ({@code vectorAllT}) against
 * the scalar twin ({@code scalar}) and a naive triple loop ({@code naive}), on square matrices of
 * side {@code n}; the slow twins stop at {@code n = 512}. The {@code skinny*} methods time shapes a
 * recurrent step issues (batch rows x gate columns x inputs). GFLOP/s = 2mnk / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {

    private static final Kernels VECTOR_1T = Kernels.vector(1);
    private static final Kernels VECTOR_ALL = Kernels.vector(Runtime.getRuntime().availableProcessors());

    /** Operands of an {@code m x k} by {@code k x n} product with a fixed seed. */
    static class Operands {
        int m;
        int n;
        int k;
        float[] a;
        float[] b;
        float[] c;

        void fill(int rows, int cols, int depth) {
            m = rows;
            n = cols;
            k = depth;
            SplittableRandom rnd = new SplittableRandom(42);
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextDouble(-1, 1);
            }
        }

        float[] run(Kernels kernels) {
            kernels.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            return c;
        }
    }

    /** Square products for the Vector API kernels. */
    @State(Scope.Thread)
    public static class Square extends Operands {
        /** Side of the square matrices. */
        @Param({"64", "128", "256", "512", "1024"})
        public int size;

        /** Fills the operands. */
        @Setup
        public void setUp() {
            fill(size, size, size);
        }
    }

    /** Square products for the slow scalar twins, which would take seconds per call beyond 512. */
    @State(Scope.Thread)
    public static class SmallSquare extends Operands {
        /** Side of the square matrices. */
        @Param({"64", "128", "256", "512"})
        public int size;

        /** Fills the operands. */
        @Setup
        public void setUp() {
            fill(size, size, size);
        }
    }

    /** Shapes of one recurrent step, written {@code m x n x k}. */
    @State(Scope.Thread)
    public static class Skinny extends Operands {
        /** The product's {@code m x n x k}. */
        @Param({"32x512x128", "64x1024x256", "64x2048x512", "1x256x64"})
        public String shape;

        /** Parses the shape and fills the operands. */
        @Setup
        public void setUp() {
            String[] parts = shape.split("x");
            fill(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }
    }

    /** Vector API kernels restricted to one thread. */
    @Benchmark
    public float[] vector1T(Square s) {
        return s.run(VECTOR_1T);
    }

    /** Vector API kernels on every available processor. */
    @Benchmark
    public float[] vectorAllT(Square s) {
        return s.run(VECTOR_ALL);
    }

    /** The scalar twin, {@code Kernels.scalar()}. */
    @Benchmark
    public float[] scalar(SmallSquare s) {
        return s.run(Kernels.scalar());
    }

    /** The textbook i-j-p triple loop. */
    @Benchmark
    public float[] naive(SmallSquare s) {
        int n = s.size;
        float[] a = s.a;
        float[] b = s.b;
        float[] c = s.c;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < n; p++) {
                    acc += a[i * n + p] * b[p * n + j];
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }

    /** A recurrent step's product on the Vector API kernels, one thread. */
    @Benchmark
    public float[] skinnyVector1T(Skinny s) {
        return s.run(VECTOR_1T);
    }

    /** A recurrent step's product on the Vector API kernels, every available processor. */
    @Benchmark
    public float[] skinnyVectorAllT(Skinny s) {
        return s.run(VECTOR_ALL);
    }

    /** A recurrent step's product on the scalar twin. */
    @Benchmark
    public float[] skinnyScalar(Skinny s) {
        return s.run(Kernels.scalar());
    }
}
