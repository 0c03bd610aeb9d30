package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Registries;

/**
 * The cost of the finiteness check a layer applies to its input ({@link Finite}), against the
 * layer's forward pass on the same input: {@code check} scans the input {@code [B, T, I]} once;
 * {@code inference} is the LSTM forward pass, check included. Their ratio is the share of the
 * forward pass the check takes; running {@code inference} again with
 * {@code -jvmArgsAppend -Drnn4j.checkFinite=false} measures it from the other side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class FiniteCheckBenchmark {

    /** B x T x I x H, as in {@link CellBenchmark}. */
    @Param({"1x50x32x64", "32x50x64x128", "64x100x512x512"})
    public String shape;

    private RecurrentWorkload work;

    /** Builds the LSTM layer and seeded inputs. */
    @Setup
    public void setUp() {
        work = RecurrentWorkload.of(shape, "lstm", Registries.cells().get("lstm"));
    }

    /** The check alone: the index of the first non-finite input value (none). */
    @Benchmark
    public int check() {
        return Finite.firstNonFinite(work.x().data());
    }

    /** The forward pass, which checks its input when checking is on. */
    @Benchmark
    public Tensor inference() {
        return work.inference();
    }
}
