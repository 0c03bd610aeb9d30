package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.parallel.WorkerPool;

/**
 * The machine's FP32 FMA peak as Java reaches it, measured rather than computed from a nominal
 * clock: each of the kernels' threads ({@link WorkerPool#defaultThreads()}: {@code -Drnn4j.threads},
 * else every processor) runs {@link #ITERATIONS} rounds of 16 independent vector FMAs on registers
 * only (enough chains to cover the FMA latency on two pipes). Peak GFLOP/s = {@link #flops(int)} / time per call. The peers report compares the
 * largest recurrent shapes against this figure of the same run; on a VM whose clock differs from
 * its nominal one it is the only honest denominator. The 16 chains and two operands take 18 vector
 * registers: AVX-512 has 32; on a 16-register instruction set (AVX2) they would spill and the
 * peak read low, flattering the percentages.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class PeakBenchmark {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Rounds of 16 FMAs per thread and call: about 10 ms per call at 200 GFLOP/s per core on 512-bit vectors. */
    static final int ITERATIONS = 4_000_000;

    private int threads;
    private ExecutorService pool;
    /** Operands read from fields so that C2 cannot fold the chains. */
    private float start = 1f;
    private float factor = 0.999_999f;
    private float addend = 1e-7f;

    /** Starts one platform thread per requested thread. */
    @Setup(Level.Trial)
    public void setUp() {
        threads = WorkerPool.defaultThreads();
        pool = Executors.newFixedThreadPool(threads);
    }

    /** Stops the threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    /**
     * Floating-point operations of one call on {@code threads} threads (an FMA counts 2).
     *
     * @param threads the threads the call ran on
     * @return the operations of one call
     */
    static double flops(int threads) {
        return (double) threads * ITERATIONS * 16 * 2 * S.length();
    }

    /** One round of FMA chains on every thread; returns their sum so that nothing is dead code. */
    @Benchmark
    public float fma() throws InterruptedException, ExecutionException {
        List<Future<Float>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> chains(start, factor, addend)));
        }
        float sum = 0f;
        for (Future<Float> part : parts) {
            sum += part.get();
        }
        return sum;
    }

    private static float chains(float start, float factor, float addend) {
        FloatVector x = FloatVector.broadcast(S, factor);
        FloatVector y = FloatVector.broadcast(S, addend);
        FloatVector a0 = FloatVector.broadcast(S, start);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        FloatVector a8 = a0;
        FloatVector a9 = a0;
        FloatVector a10 = a0;
        FloatVector a11 = a0;
        FloatVector a12 = a0;
        FloatVector a13 = a0;
        FloatVector a14 = a0;
        FloatVector a15 = a0;
        for (int i = 0; i < ITERATIONS; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
            a12 = a12.fma(x, y);
            a13 = a13.fma(x, y);
            a14 = a14.fma(x, y);
            a15 = a15.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .add(a12).add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }
}
