package org.rnn4j.bench;

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
 * A JMH profiler that measures, after each iteration, how far apart the cores are: a cache line's
 * round trip between two threads ({@link Machine#coreRoundTripNanos()}), in the secondary result
 * {@value #LABEL}. On a virtual machine the hypervisor may move the vCPUs between nearby and
 * distant cores while a run goes on; this tells a reader which rows ran in which state. It is
 * taken between iterations, outside the measured time.
 */
public final class CoreRoundTripProfiler implements InternalProfiler {

    /** Label of the round trip, in nanoseconds. */
    static final String LABEL = "core_round_trip";

    /**
     * A round trip above this reads as distant cores: on this project's machine the round trip
     * reads 45-170 ns or 330-550 ns, with nothing in between for long.
     */
    static final double FAR_NANOS = 200;

    @Override
    public String getDescription() {
        return "Round trip of a cache line between two threads after each iteration, in ns (how far apart the cores are)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        return List.of(new ScalarResult(LABEL, Machine.coreRoundTripNanos(), "ns", AggregationPolicy.MAX));
    }
}
