package org.rnn4j.bench;

import java.util.Arrays;
import java.util.Locale;
import org.rnn4j.core.parallel.WorkerPool;
import org.rnn4j.spi.Registries;

/**
 * Measures a recurrent layer's training step and the FMA peak at the same moments: bursts of
 * {@link PeakBenchmark} calls (about 100 ms) alternate with three training steps (the median of
 * the three is kept), and each pair gives a share of the peak, model GFLOP/s (three times the
 * forward pass's matrix products) over the burst's GFLOP/s. Prints every pair, then the medians
 * and ranges of the step time, the peak and the per-pair share, and the median step over the
 * highest burst (lower than the peers report's share, whose peak is the higher of two 5-second
 * JMH measurements, not of forty 100 ms bursts). It asks whether the "% of peak" of the
 * largest shape moves between runs because the step and the peak are measured at different
 * moments of a shared machine: if they slowed together, the per-pair shares would be steadier
 * than the step times.
 *
 * <p>Usage: {@code PeakAlternation CELL BxTxIxH [pairs=40] [warm-up seconds=15]}.
 */
public final class PeakAlternation {

    private static final int PEAK_CALLS = 10;
    private static final int STEPS = 3;

    private PeakAlternation() {
    }

    /** Runs the alternation; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        BenchArguments.exitUnlessCount(args, 2, 4, "PeakAlternation CELL BxTxIxH [pairs=40] [warm-up seconds=15]");
        String cell = args[0];
        String shape = BenchArguments.shape(args[1]);
        int pairs = args.length > 2 ? BenchArguments.whole("pairs", args[2]) : 40;
        int warmUp = args.length > 3 ? BenchArguments.whole("warm-up seconds", args[3]) : 15;
        RecurrentWorkload workload = RecurrentWorkload.of(shape, cell, Registries.cells().get(cell));
        double stepFlops = 3 * CellReport.flops(cell, shape);
        PeakBenchmark peak = new PeakBenchmark();
        peak.setUp();
        try {
            long end = System.nanoTime() + warmUp * 1_000_000_000L;
            while (System.nanoTime() < end) {
                workload.trainingStep();
                peak.fma();
            }
            double[] steps = new double[pairs];
            double[] peaks = new double[pairs];
            double[] shares = new double[pairs];
            for (int p = 0; p < pairs; p++) {
                long start = System.nanoTime();
                for (int i = 0; i < PEAK_CALLS; i++) {
                    peak.fma();
                }
                peaks[p] = PeakBenchmark.flops(WorkerPool.defaultThreads()) * PEAK_CALLS / (System.nanoTime() - start);
                double[] times = new double[STEPS];
                for (int i = 0; i < STEPS; i++) {
                    long t0 = System.nanoTime();
                    workload.trainingStep();
                    times[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(times);
                steps[p] = times[STEPS / 2];
                shares[p] = stepFlops / (steps[p] * 1e6) / peaks[p];
                System.out.printf(Locale.ROOT, "pair %d: step %.1f ms, peak %.0f GFLOP/s, share %.3f%n", p, steps[p],
                        peaks[p], shares[p]);
            }
            double step = median(steps);
            double highestPeak = Arrays.stream(peaks).max().orElseThrow();
            System.out.printf(Locale.ROOT, "%s %s training, %d pairs: step median %.1f ms [%.1f-%.1f], peak median %.0f"
                            + " GFLOP/s [%.0f-%.0f], per-pair share median %.3f [%.3f-%.3f]; median step over the highest"
                            + " peak %.3f%n", cell, shape, pairs, step, min(steps), max(steps), median(peaks), min(peaks),
                    highestPeak, median(shares), min(shares), max(shares), stepFlops / (step * 1e6) / highestPeak);
        } finally {
            peak.tearDown();
        }
        System.exit(0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return Sample.median(sorted);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
