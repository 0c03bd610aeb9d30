package org.rnn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs one JMH benchmark method with one set of parameters at a time, in its own fork, under the
 * shared-machine rules of {@link Hygiene}: wait (bounded) for a quiet machine, measure with
 * {@link ForeignLoadProfiler} and {@link JitGcProfiler}, measure again while other processes or
 * the fork's own compiler used more than the threshold, keep the cleanest attempt. Records how far
 * apart the cores were ({@link CoreRoundTripProfiler}), which no retry can change. Waits for
 * another JMH run that holds JMH's machine-wide lock.
 */
final class Jmh {

    /**
     * Iterations of every benchmark.
     *
     * @param warmups      warm-up iterations (the Vector API kernels need C2, a few seconds)
     * @param measurements measured iterations: the median, min and max are over these
     * @param time         length of each iteration
     */
    record Settings(int warmups, int measurements, TimeValue time) {
    }

    /**
     * The shared-machine rules.
     *
     * @param quiet    the most foreign load (share of the machine) a clean measurement may see
     * @param maxWait  seconds to wait for a quiet machine before each attempt
     * @param attempts most measurements of one row
     * @param deadline {@link System#nanoTime()} after which nothing waits or retries
     */
    record Hygiene(double quiet, double maxWait, int attempts, long deadline) {
        boolean late() {
            return System.nanoTime() > deadline;
        }
    }

    private static final long LOCK_WAIT_NANOS = 30L * 60 * 1_000_000_000L;

    private final Settings settings;
    private final Hygiene hygiene;
    private final List<String> jvmArgs;
    private final Path log;
    private BenchmarkParams firstParams;

    /**
     * @param jvmArgs the forks' JVM options, to which each run adds {@code -Drnn4j.threads}
     * @param log     where JMH's own output goes (the last run's), so the report's console stays readable
     */
    Jmh(Settings settings, Hygiene hygiene, List<String> jvmArgs, Path log) {
        this.settings = settings;
        this.hygiene = hygiene;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.log = log;
    }

    /** The parameters JMH reports for the first fork (JVM, JDK, options), or null before the first run. */
    BenchmarkParams firstParams() {
        return firstParams;
    }

    /**
     * Measures the benchmark {@code method} of {@code type} with {@code params} on {@code threads}
     * rnn4j threads.
     *
     * @throws RunnerException when the benchmark fails, with the end of JMH's output
     */
    Sample measure(Class<?> type, String method, Map<String, String> params, int threads)
            throws RunnerException, InterruptedException {
        List<String> args = new ArrayList<>(jvmArgs);
        args.add("-Drnn4j.threads=" + threads);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(type.getName() + "." + method) + "$")
                .forks(1)
                .warmupIterations(settings.warmups()).warmupTime(settings.time())
                .measurementIterations(settings.measurements()).measurementTime(settings.time())
                .jvmArgs(args.toArray(String[]::new)).jvmArgsAppend()
                .addProfiler(ForeignLoadProfiler.class)
                .addProfiler(JitGcProfiler.class)
                .addProfiler(CoreRoundTripProfiler.class)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString())
                .shouldFailOnError(true);
        params.forEach(options::param);
        String name = type.getSimpleName() + "." + method + " " + params.values() + " " + threads + "T";
        Sample best = null;
        int attempt = 0;
        while (attempt < hygiene.attempts()) {
            if (!hygiene.late()) {
                Machine.waitQuiet(hygiene.quiet(), hygiene.maxWait());
            }
            attempt++;
            Sample s = once(options, name);
            if (best == null || s.disturbance() < best.disturbance()) {
                best = s;
            }
            if (!best.noisy(hygiene.quiet()) || hygiene.late()) {
                break;
            }
        }
        best = new Sample(best.median(), best.min(), best.max(), best.foreign(), best.jit(), best.gc(), best.coreRoundTrip(),
                attempt);
        System.out.printf(Locale.ROOT,
                "rnn4j %-58s median %10.3f ms  [%.3f-%.3f]  other CPU %4.0f%%  JIT %4.1f%%  GC %4.1f%%  cores %4.0f ns"
                        + "  attempts %d%n",
                name, best.median() * 1e3, best.min() * 1e3, best.max() * 1e3, best.foreign() * 100, best.jit() * 100,
                best.gc() * 100, best.coreRoundTrip(), attempt);
        return best;
    }

    private Sample once(ChainedOptionsBuilder options, String name) throws RunnerException, InterruptedException {
        long lockDeadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            try {
                Collection<RunResult> results = new Runner(options.build()).run();
                if (results.size() != 1) {
                    throw new RunnerException(name + ": expected one result, JMH returned " + results.size());
                }
                return sample(results.iterator().next());
            } catch (RunnerException e) {
                // Another JMH run holds the machine-wide lock: it would disturb the measurement anyway.
                if (String.valueOf(e.getMessage()).contains("JMH lock") && System.nanoTime() < lockDeadline) {
                    System.out.println("(another JMH run holds /tmp/jmh.lock; waiting for it before " + name + ")");
                    Thread.sleep(10_000);
                } else {
                    throw new RunnerException(name + " failed; the end of JMH's output (" + log + "):\n" + tail(), e);
                }
            }
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private Sample sample(RunResult result) {
        if (firstParams == null) {
            firstParams = result.getParams();
        }
        List<Double> seconds = new ArrayList<>();
        double foreign = 0;
        double jit = 0;
        double gc = 0;
        double roundTrip = 0;
        for (BenchmarkResult b : result.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                seconds.add(KernelReport.toSeconds(i.getPrimaryResult().getScore(), i.getScoreUnit()));
                foreign = Math.max(foreign, secondary(i, ForeignLoadProfiler.LABEL));
                jit = Math.max(jit, secondary(i, JitGcProfiler.JIT));
                gc = Math.max(gc, secondary(i, JitGcProfiler.GC));
                roundTrip = Math.max(roundTrip, secondary(i, CoreRoundTripProfiler.LABEL));
            }
        }
        return Sample.of(seconds.stream().mapToDouble(Double::doubleValue).toArray(), foreign, jit, gc, roundTrip, 1);
    }

    /** A profiler's share in one iteration, or 0 when it reported none. */
    private static double secondary(IterationResult iteration, String label) {
        Result r = iteration.getSecondaryResults().get(label);
        return r == null ? 0 : r.getScore();
    }
}
