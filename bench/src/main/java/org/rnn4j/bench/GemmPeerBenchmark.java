package org.rnn4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.kernel.Kernels;

/**
 * Square single-precision GEMM {@code C = A * B} of side {@code size}: the kernels rnn4j uses
 * ({@code Kernels.get()}, threads from {@code -Drnn4j.threads}) against OpenBLAS's
 * {@code cblas_sgemm} with the same thread count, called through the FFM API on operands in native
 * memory. The OpenBLAS file comes from {@code -Drnn4j.openblas=PATH} or {@link OpenBlas#locate()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmPeerBenchmark {

    /** Operands on the Java heap for the rnn4j kernels. */
    @State(Scope.Thread)
    public static class Heap extends GemmBenchmark.Operands {
        /** Side of the square matrices. */
        @Param({"64", "128", "256", "512", "1024", "2048"})
        public int size;

        /** Fills the operands. */
        @Setup
        public void setUp() {
            fill(size, size, size);
        }
    }

    /** The same operands copied into native memory for OpenBLAS. */
    @State(Scope.Thread)
    public static class Native {
        /** Side of the square matrices. */
        @Param({"64", "128", "256", "512", "1024", "2048"})
        public int size;

        OpenBlas blas;
        Arena arena;
        MemorySegment a;
        MemorySegment b;
        MemorySegment c;

        /** Loads OpenBLAS with the run's thread count (rnn4j's pool size) and copies seeded operands into native memory. */
        @Setup(Level.Trial)
        public void setUp() {
            Path library = OpenBlas.locate().orElseThrow(() -> new IllegalStateException(
                    "no OpenBLAS library found; name one with -D" + OpenBlas.PATH_PROPERTY + "=PATH"));
            // The pool's size, not Kernels.maxThreads(): scalar kernels report 1, yet the peer gets the run's threads.
            blas = OpenBlas.load(library, org.rnn4j.core.parallel.WorkerPool.defaultThreads());
            GemmBenchmark.Operands heap = new GemmBenchmark.Operands();
            heap.fill(size, size, size);
            arena = Arena.ofShared();
            a = arena.allocateFrom(ValueLayout.JAVA_FLOAT, heap.a);
            b = arena.allocateFrom(ValueLayout.JAVA_FLOAT, heap.b);
            c = arena.allocate(ValueLayout.JAVA_FLOAT, (long) size * size);
        }

        /** Frees the native operands. */
        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** rnn4j's kernels. */
    @Benchmark
    public float[] rnn4j(Heap s) {
        return s.run(Kernels.get());
    }

    /** OpenBLAS {@code cblas_sgemm}. */
    @Benchmark
    public MemorySegment openblas(Native s) {
        s.blas.sgemm(s.size, s.size, s.size, s.a, s.b, s.c);
        return s.c;
    }
}
