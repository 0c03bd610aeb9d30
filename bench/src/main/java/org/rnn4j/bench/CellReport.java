package org.rnn4j.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CellBenchmark} and {@link AutogradBenchmark} through JMH and prints, per cell and
 * shape, the inference and training-step times with their model GFLOP/s (matrix products only,
 * as the peer measurements count them), and the cost of a tape-written cell relative to the
 * hand-fused kernel. Options: {@code --quick}, {@code --only REGEX}.
 */
public final class CellReport {

    private static final Map<String, Integer> GATES = Map.of("rnn", 1, "gru", 3, "lstm", 4);

    private CellReport() {
    }

    /**
     * Entry point of {@code ./rnn4j bench cells}.
     *
     * @param args the options above
     * @throws RunnerException when JMH fails to run a benchmark
     */
    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
            } else {
                System.err.println("usage: CellReport [--quick] [--only REGEX]");
                return;
            }
        }
        KernelReport.printEnvironment();
        ChainedOptionsBuilder options = new OptionsBuilder().shouldFailOnError(true);
        if (only != null) {
            options.include(only);
        } else {
            options.include(CellBenchmark.class.getName() + "\\.").include(AutogradBenchmark.class.getName() + "\\.");
        }
        if (quick) {
            options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> cells = new TreeMap<>();
        Map<String, Double> autograd = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            double seconds = KernelReport.toSeconds(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit());
            if (bench.startsWith(CellBenchmark.class.getName())) {
                String key = r.getParams().getParam("cell") + " " + r.getParams().getParam("shape");
                double[] row = cells.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
                row[bench.endsWith(".inference") ? 0 : 1] = seconds;
            } else if (bench.startsWith(AutogradBenchmark.class.getName())) {
                autograd.put(r.getParams().getParam("kernel"), seconds);
            }
        }
        System.out.println();
        System.out.println("Recurrent layers, one layer, both cores (GFLOP/s of model matrix products)");
        System.out.printf(Locale.ROOT, "%-5s %-16s %14s %9s %14s %9s%n", "cell", "B x T x I x H", "inference ms",
                "GFLOP/s", "training ms", "GFLOP/s");
        cells.forEach((key, row) -> {
            String[] parts = key.split(" ");
            double flops = flops(parts[0], parts[1]);
            System.out.printf(Locale.ROOT, "%-5s %-16s %14.3f %9.1f %14.3f %9.1f%n", parts[0], parts[1],
                    row[0] * 1e3, flops / row[0] / 1e9, row[1] * 1e3, 3 * flops / row[1] / 1e9);
        });
        if (autograd.containsKey("fused") && autograd.containsKey("tape")) {
            System.out.printf(Locale.ROOT, "%nLSTM training step, tape-written step vs hand-fused kernel: %.3f ms vs %.3f ms"
                    + " (tape/fused = %.2fx)%n", autograd.get("tape") * 1e3, autograd.get("fused") * 1e3,
                    autograd.get("tape") / autograd.get("fused"));
        }
    }

    /** Forward model FLOPs {@code 2*B*T*G*H*(I+H)}. */
    static double flops(String cell, String shape) {
        String[] d = shape.split("x");
        double b = Double.parseDouble(d[0]);
        double t = Double.parseDouble(d[1]);
        double i = Double.parseDouble(d[2]);
        double h = Double.parseDouble(d[3]);
        Integer gates = GATES.get(cell);
        if (gates == null) {
            throw new IllegalArgumentException("CellReport: no FLOP count for cell '" + cell + "'; known: " + GATES.keySet());
        }
        return 2 * b * t * gates * h * (i + h);
    }
}
