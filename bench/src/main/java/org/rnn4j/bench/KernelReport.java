package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rnn4j.core.kernel.Kernels;

/**
 * Runs the kernel benchmarks through JMH and prints one table per suite: GEMM time, GFLOP/s and
 * speed-up over the scalar twin and the naive loop; activations (when {@code ActivationBenchmark}
 * is built) in ns per element with the speed-up of each {@code <fn>Vector} over {@code <fn>Scalar}.
 *
 * <p>Options: {@code --quick} (one fork, three short warm-up and measurement iterations),
 * {@code --only REGEX} (run only benchmarks whose full name matches), {@code --help}.
 */
public final class KernelReport {

    private static final String GEMM = GemmBenchmark.class.getName();
    private static final String ACTIVATION = "org.rnn4j.bench.ActivationBenchmark";

    private KernelReport() {
    }

    /**
     * Entry point of {@code ./rnn4j bench}.
     *
     * @param args the options above
     * @throws RunnerException when JMH fails to run a benchmark
     */
    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        usage("--only needs a regular expression");
                        return;
                    }
                    only = args[++i];
                }
                case "--help", "-h" -> {
                    usage(null);
                    return;
                }
                default -> {
                    usage("unknown option " + args[i]);
                    return;
                }
            }
        }
        printEnvironment();
        boolean hasActivations = isPresent(ACTIVATION);
        ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        if (only != null) {
            options.include(only);
        } else {
            options.include(Pattern.quote(GEMM) + "\\.");
            if (hasActivations) {
                options.include(Pattern.quote(ACTIVATION) + "\\.");
            }
        }
        if (quick) {
            options.forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(300));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        printGemm(results);
        if (hasActivations) {
            printActivations(results);
        } else {
            System.out.println("(no " + ACTIVATION + " in this build: activation table skipped)");
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("KernelReport: " + problem);
        }
        System.err.println("usage: KernelReport [--quick] [--only REGEX]");
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, KernelReport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void printEnvironment() {
        System.out.println("JVM:    " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("JDK:    " + Runtime.version());
        String vector;
        try {
            Kernels k = Kernels.vector(1);
            vector = k.vectorBitSize() + "-bit";
        } catch (UnsupportedOperationException e) {
            vector = "unavailable (" + e.getMessage() + ")";
        }
        System.out.println("Vector: " + vector);
        System.out.println("CPU:    " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " processors");
    }

    /** One measured benchmark: method, its size label, and seconds per call. */
    private record Row(String suite, String method, String size, double seconds, double error) {
    }

    private static List<Row> rows(Collection<RunResult> results, String suite) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            if (!full.startsWith(suite + ".")) {
                continue;
            }
            String method = full.substring(suite.length() + 1);
            String size = firstParam(r, "size", "shape", "n");
            var primary = r.getPrimaryResult();
            double perCall = toSeconds(primary.getScore(), primary.getScoreUnit());
            double error = Double.isNaN(primary.getScoreError()) ? 0 : toSeconds(primary.getScoreError(), primary.getScoreUnit());
            rows.add(new Row(suite, method, size, perCall, error));
        }
        return rows;
    }

    private static String firstParam(RunResult r, String... names) {
        for (String name : names) {
            String v = r.getParams().getParam(name);
            if (v != null) {
                return v;
            }
        }
        return "-";
    }

    /** Seconds per call from a JMH score, whether an average time ({@code us/op}) or a throughput ({@code ops/ms}). */
    static double toSeconds(double score, String unit) {
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            return Double.NaN;
        }
        if (parts[1].equals("op")) {
            return score * unitSeconds(parts[0]);
        }
        return unitSeconds(parts[1]) / score;
    }

    private static double unitSeconds(String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> Double.NaN;
        };
    }

    private static void printGemm(Collection<RunResult> results) {
        List<Row> rows = rows(results, GEMM);
        if (rows.isEmpty()) {
            return;
        }
        int all = Runtime.getRuntime().availableProcessors();
        // Baselines per size: the scalar twin and the naive loop (square), the scalar twin (skinny).
        Map<String, Double> scalar = new LinkedHashMap<>();
        Map<String, Double> naive = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.method.equals("scalar") || r.method.equals("skinnyScalar")) {
                scalar.put(r.size, r.seconds);
            } else if (r.method.equals("naive")) {
                naive.put(r.size, r.seconds);
            }
        }
        System.out.println("GEMM, C = A * B, no transposes (square: N x N; skinny: m x n x k)");
        System.out.printf(Locale.ROOT, "%-18s %-12s %7s %-14s %14s %10s %10s %10s%n",
                "benchmark", "size", "threads", "implementation", "time", "GFLOP/s", "x scalar", "x naive");
        rows.sort((x, y) -> {
            int c = Boolean.compare(x.method.startsWith("skinny"), y.method.startsWith("skinny"));
            if (c != 0) {
                return c;
            }
            c = Long.compare(flops(x.size), flops(y.size));
            return c != 0 ? c : x.method.compareTo(y.method);
        });
        for (Row r : rows) {
            boolean allThreads = r.method.endsWith("AllT");
            String impl = r.method.contains("ector") ? "vector" : r.method.equals("naive") ? "naive loop" : "scalar twin";
            double gflops = flops(r.size) / r.seconds / 1e9;
            System.out.printf(Locale.ROOT, "%-18s %-12s %7d %-14s %14s %10.2f %10s %10s%n",
                    r.method, r.size, allThreads ? all : 1, impl, time(r.seconds, r.error), gflops,
                    ratio(scalar.get(r.size), r.seconds), ratio(naive.get(r.size), r.seconds));
        }
        System.out.println();
    }

    /** Flops of a product named {@code N} (square) or {@code m x n x k}. */
    private static long flops(String size) {
        String[] parts = size.split("x");
        if (parts.length == 3) {
            return 2L * Long.parseLong(parts[0]) * Long.parseLong(parts[1]) * Long.parseLong(parts[2]);
        }
        long n = Long.parseLong(size);
        return 2L * n * n * n;
    }

    private static void printActivations(Collection<RunResult> results) {
        List<Row> rows = rows(results, ACTIVATION);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Double> scalar = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.method.endsWith("Scalar")) {
                scalar.put(r.method.substring(0, r.method.length() - "Scalar".length()) + "@" + r.size, r.seconds);
            }
        }
        System.out.println("Activations (one thread)");
        System.out.printf(Locale.ROOT, "%-18s %-10s %14s %12s %10s%n", "benchmark", "n", "time", "ns/element", "x scalar");
        rows.sort((x, y) -> x.method.compareTo(y.method));
        for (Row r : rows) {
            double n = r.size.equals("-") ? 1 : Double.parseDouble(r.size);
            // Pair <fn>Vector (or any other <fn><Variant>) with <fn>Scalar by the function's name.
            String fn = r.method.replaceFirst("[A-Z][A-Za-z0-9]*$", "");
            Double base = r.method.endsWith("Scalar") ? null : scalar.get(fn + "@" + r.size);
            System.out.printf(Locale.ROOT, "%-18s %-10s %14s %12.3f %10s%n",
                    r.method, r.size, time(r.seconds, r.error), r.seconds * 1e9 / n, ratio(base, r.seconds));
        }
        System.out.println();
    }

    private static String ratio(Double baseline, double seconds) {
        return baseline == null ? "" : String.format(Locale.ROOT, "%.1fx", baseline / seconds);
    }

    private static String time(double seconds, double error) {
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.2f±%.2f ms", seconds * 1e3, error * 1e3);
        }
        return String.format(Locale.ROOT, "%.1f±%.1f us", seconds * 1e6, error * 1e6);
    }
}
