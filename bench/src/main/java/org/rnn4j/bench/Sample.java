package org.rnn4j.bench;

import java.util.Arrays;

/**
 * One implementation's time on one row: seconds per call over the measurements of a run.
 *
 * @param median   median seconds per call
 * @param min      fastest measurement
 * @param max      slowest measurement
 * @param foreign  the largest share of the machine's CPU other processes used during a measurement (0..1)
 * @param jit      the largest share of the machine's CPU its own JVM spent compiling during a
 *                 measurement ({@link JitGcProfiler}); NaN where not measured (the peers' processes)
 * @param gc       the same for its garbage collector's threads
 * @param coreRoundTrip the longest cache-line round trip between two threads after a measurement, in
 *                 ns ({@link CoreRoundTripProfiler}); NaN where not measured
 * @param attempts how many times the row was measured before this result was kept
 */
record Sample(double median, double min, double max, double foreign, double jit, double gc, double coreRoundTrip,
              int attempts) {

    /** From per-measurement seconds per call. */
    static Sample of(double[] seconds, double foreign, double jit, double gc, double coreRoundTrip, int attempts) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return new Sample(median(s), s[0], s[s.length - 1], foreign, jit, gc, coreRoundTrip, attempts);
    }

    /** The median of {@code sorted} (ascending, not empty): the mean of the middle two for an even count. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Whether other processes, or its own JVM's compiler, used more than {@code quiet} of the
     * machine during a measurement.
     */
    boolean noisy(double quiet) {
        return disturbance() > quiet;
    }

    /** The larger of the foreign load and the compiler's share (an unmeasured share counts 0). */
    double disturbance() {
        return Double.isNaN(jit) ? foreign : Math.max(foreign, jit);
    }
}
