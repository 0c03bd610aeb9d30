package org.rnn4j.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that records, per iteration, the time the benchmark's own JVM spent compiling
 * (JIT, summed over compiler threads) and collecting garbage (pauses and concurrent cycles), each
 * as a share of the machine's CPU capacity over the iteration (as {@link ForeignLoadProfiler}
 * counts other processes), in the secondary results {@value #JIT} and {@value #GC}. A compiler
 * still at work takes a core from a two-thread measurement, so {@link Jmh} measures such a row
 * again; garbage collection is the workload's own cost and is only reported.
 */
public final class JitGcProfiler implements InternalProfiler {

    /** Label of the compilation share. */
    static final String JIT = "jit";
    /** Label of the garbage-collection share. */
    static final String GC = "gc";

    private long startJit;
    private long startGc;
    private long startNanos;

    @Override
    public String getDescription() {
        return "JIT compilation and GC time of the fork during each iteration, as shares of the machine's CPU";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startJit = jitMillis();
        startGc = gcMillis();
        startNanos = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double capacityMillis = Math.max((System.nanoTime() - startNanos) / 1e6, 1e-6)
                * Runtime.getRuntime().availableProcessors();
        // Unknown (no compilation-time monitoring) reads as 0, like ForeignLoadProfiler's unknown load.
        double jit = startJit < 0 ? 0 : (jitMillis() - startJit) / capacityMillis;
        double gc = (gcMillis() - startGc) / capacityMillis;
        return List.of(new ScalarResult(JIT, jit, "share", AggregationPolicy.MAX),
                new ScalarResult(GC, gc, "share", AggregationPolicy.MAX));
    }

    /** Milliseconds this JVM has spent compiling, or -1 where it does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime();
    }

    /** Milliseconds this JVM's collectors have reported (a collector that does not say counts 0). */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
