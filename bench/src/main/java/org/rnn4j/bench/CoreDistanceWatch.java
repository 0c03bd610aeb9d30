package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Registries;

/**
 * Watches a recurrent layer's training step and the distance between the cores together, second
 * by second, in one JVM: each second runs training steps for about 0.9 s (keeping the median step
 * and the median forward pass), then measures a cache line's round trip between two threads
 * ({@link Machine#coreRoundTripNanos()}). Prints every second, then the median step of the seconds
 * whose round trip read near and of those that read far ({@link CoreRoundTripProfiler#FAR_NANOS}).
 * It asks whether a two-thread step's time follows where the hypervisor keeps the vCPUs, with
 * compilation, garbage collection and the process's placement unchanged.
 *
 * <p>Usage: {@code CoreDistanceWatch CELL BxTxIxH [seconds=300]}; run it with
 * {@code -Drnn4j.threads=2} on a two-processor machine.
 */
public final class CoreDistanceWatch {

    private static final long SLICE_NANOS = 900_000_000L;

    private CoreDistanceWatch() {
    }

    /** Runs the watch; see the class comment for the arguments. */
    public static void main(String[] args) {
        BenchArguments.exitUnlessCount(args, 2, 3, "CoreDistanceWatch CELL BxTxIxH [seconds=300]");
        String cell = args[0];
        String shape = BenchArguments.shape(args[1]);
        int seconds = args.length > 2 ? BenchArguments.whole("seconds", args[2]) : 300;
        RecurrentWorkload workload = RecurrentWorkload.of(shape, cell, Registries.cells().get(cell));
        List<Double> near = new ArrayList<>();
        List<Double> far = new ArrayList<>();
        System.out.println("second  step ms  forward ms  steps  round trip ns");
        for (int second = 0; second < seconds; second++) {
            List<Double> steps = new ArrayList<>();
            List<Double> forwards = new ArrayList<>();
            long end = System.nanoTime() + SLICE_NANOS;
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                RecurrentOutput out = workload.trainingForward();
                long forwardDone = System.nanoTime();
                out.backward(workload.probe(), null, null);
                steps.add((System.nanoTime() - start) / 1e6);
                forwards.add((forwardDone - start) / 1e6);
            }
            double step = median(steps);
            double roundTrip = Machine.coreRoundTripNanos();
            System.out.printf(Locale.ROOT, "%6d  %7.3f  %10.3f  %5d  %13.0f%n", second, step, median(forwards),
                    steps.size(), roundTrip);
            // The first seconds are the JIT's warm-up.
            if (second >= 10) {
                (roundTrip > CoreRoundTripProfiler.FAR_NANOS ? far : near).add(step);
            }
        }
        System.out.printf(Locale.ROOT, "after the first 10 s: %d seconds near, median step %s ms; %d far, median step %s ms%n",
                near.size(), near.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", median(near)), far.size(),
                far.isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", median(far)));
    }

    private static double median(List<Double> values) {
        return Sample.median(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }
}
