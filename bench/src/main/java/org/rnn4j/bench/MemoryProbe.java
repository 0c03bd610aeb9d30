package org.rnn4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.RecurrentStream;
import org.rnn4j.spi.Registries;

/**
 * Heap used by one call of a recurrent layer as the sequence grows: a training step (forward and
 * backward, as {@link CellBenchmark} times it), inference over the whole sequence, and streaming
 * inference ({@link org.rnn4j.nn.Recurrent#stream}) over the same number of steps, fed one step at
 * a time from a reused input as a live source would.
 *
 * <p>Two measures per call: the peak heap above the level a full GC leaves before the call first
 * ran (sum of the heap pools' peaks; what the layer keeps between calls counts, such as the work
 * buffers a training run leaves for the next; garbage not yet collected counts too, so it is an
 * upper bound that depends on the young generation's size), and the bytes the call allocated on
 * every thread (independent of the collector). Each is the least of {@value #REPEATS} calls made right after the same call has run
 * {@value #WARMUP_CALLS} times and for a warm-up time: until C2 has compiled (or recompiled, after another call changed the
 * profile) the Vector API kernels, they run a fallback that allocates boxed vectors, and a
 * training step at T = 50 then allocates several times its steady 12 MB.
 */
final class MemoryProbe {

    /**
     * One sequence length.
     *
     * @param steps        T
     * @param peakBytes    peak heap above the baseline: training, whole-sequence inference, streaming
     * @param allocatedBytes bytes allocated by the call, in the same order
     */
    record Point(int steps, long[] peakBytes, long[] allocatedBytes) {
    }

    /** The three calls, in the order of {@link Point}'s arrays. */
    static final List<String> CALLS = List.of("training step", "inference (whole sequence)", "streaming inference");

    private MemoryProbe() {
    }

    private static final int REPEATS = 3;
    /** Calls before C2 reaches steady state at the smallest T: a cold first call alone can outlast seconds of warm-up. */
    private static final int WARMUP_CALLS = 10;

    /**
     * Measures {@code cell} at batch {@code b}, input {@code i}, hidden {@code h} for each T in
     * {@code steps}, each call after {@code warmupSeconds} (and {@value #WARMUP_CALLS} calls) of the same call.
     */
    static List<Point> run(String cell, int b, int i, int h, int[] steps, double warmupSeconds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        return Arrays.stream(steps).mapToObj(t -> {
            List<Runnable> calls = calls(cell, b, i, h, t);
            long[] peaks = new long[calls.size()];
            long[] allocated = new long[calls.size()];
            Arrays.fill(peaks, Long.MAX_VALUE);
            Arrays.fill(allocated, Long.MAX_VALUE);
            for (int c = 0; c < calls.size(); c++) {
                Runnable call = calls.get(c);
                // The baseline precedes the call's first run, so what the layer keeps from one call
                // to the next (a training run's work buffers, which the next run reuses) counts.
                System.gc();
                long base = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
                long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
                for (int w = 0; w < WARMUP_CALLS || System.nanoTime() < end; w++) {
                    call.run();
                }
                for (int r = 0; r < REPEATS; r++) {
                    System.gc();
                    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                    long before = threads.getTotalThreadAllocatedBytes();
                    call.run();
                    allocated[c] = Math.min(allocated[c], threads.getTotalThreadAllocatedBytes() - before);
                    peaks[c] = Math.min(peaks[c], Math.max(0, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - base));
                }
            }
            return new Point(t, peaks, allocated);
        }).toList();
    }

    /** The three calls of {@link #CALLS} on one layer at sequence length {@code t}. */
    private static List<Runnable> calls(String cell, int b, int i, int h, int t) {
        RecurrentWorkload work = RecurrentWorkload.of(b + "x" + t + "x" + i + "x" + h, cell, Registries.cells().get(cell));
        Tensor step = Tensor.zeros(b, i);
        SplittableRandom rng = new SplittableRandom(3);
        return List.of(work::trainingStep, work::inference, () -> {
            RecurrentStream stream = work.layer().stream(b);
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < step.size(); k++) {
                    step.data()[k] = (float) rng.nextDouble(-1, 1);
                }
                stream.step(step);
            }
        });
    }
}
