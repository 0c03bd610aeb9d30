package org.rnn4j.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A JMH profiler that records, per iteration, the CPU time the benchmark's own JVM spent in its
 * compiler threads (JIT) and its garbage-collector threads, each as a share of the machine's CPU
 * capacity over the iteration (as {@link ForeignLoadProfiler} counts other processes), in the
 * secondary results {@value #JIT} and {@value #GC}; read from {@code /proc/self/task}, so 0 where
 * that is not readable. A compiler still at work takes a core from a two-thread measurement, so
 * {@link Jmh} measures such a row again; garbage collection is the workload's own cost and is
 * reported only.
 */
public final class JitGcProfiler implements InternalProfiler {

    /** Label of the compilation share. */
    static final String JIT = "jit";
    /** Label of the garbage-collection share. */
    static final String GC = "gc";

    /** HotSpot's names for its compiler threads and G1's threads, as Linux keeps them (15 characters). */
    private static final List<String> COMPILER_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");
    private static final List<String> COLLECTOR_THREADS = List.of("GC Thread", "G1 ");

    private long[] start;
    private long startNanos;

    @Override
    public String getDescription() {
        return "CPU time of the fork's compiler and GC threads during each iteration, as shares of the machine's CPU";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = ticks();
        startNanos = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double capacityTicks = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9) * Machine.TICKS_PER_SECOND
                * Runtime.getRuntime().availableProcessors();
        long[] end = ticks();
        boolean known = start != null && end != null;
        // A compiler thread that exits takes its ticks with it: a negative difference counts 0.
        double jit = known ? Math.max(0, end[0] - start[0]) / capacityTicks : 0;
        double gc = known ? Math.max(0, end[1] - start[1]) / capacityTicks : 0;
        return List.of(new ScalarResult(JIT, jit, "share", AggregationPolicy.MAX),
                new ScalarResult(GC, gc, "share", AggregationPolicy.MAX));
    }

    /** CPU ticks (user and system) of this JVM's compiler threads and collector threads, or null without /proc. */
    private static long[] ticks() {
        long[] sums = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    int kind = COMPILER_THREADS.stream().anyMatch(name::startsWith) ? 0
                            : COLLECTOR_THREADS.stream().anyMatch(name::startsWith) ? 1 : -1;
                    if (kind >= 0) {
                        sums[kind] += Machine.cpuTicks(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException threadEnded) {
                    // the thread ended between listing and reading: its time is no longer countable
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return sums;
    }
}
