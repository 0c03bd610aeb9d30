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
 * A JMH profiler that records, per iteration, the share of the machine's CPU that processes other
 * than the benchmark's fork used meanwhile ({@link Machine#foreignLoad}), as the secondary result
 * {@value #LABEL}. {@link PeerReport} retries a benchmark whose iterations saw too much of it.
 */
public final class ForeignLoadProfiler implements InternalProfiler {

    /** Label of the secondary result. */
    static final String LABEL = "foreign.load";

    private Machine.Snapshot start;

    @Override
    public String getDescription() {
        return "CPU share used by other processes during each iteration (from /proc/stat)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        start = Machine.snapshot();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double load = Machine.foreignLoad(start, Machine.snapshot());
        // Unknown (no /proc) reads as 0 here; the report says once that foreign load was not measured.
        return List.of(new ScalarResult(LABEL, Double.isNaN(load) ? 0 : load, "share", AggregationPolicy.MAX));
    }
}
