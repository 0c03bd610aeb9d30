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
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Registries;

/**
 * One-layer recurrent layers on the shapes of the peer measurements ({@code shape} = B x T x I x H),
 * with PyTorch's protocol: {@code inference} is a forward pass without keeping anything for
 * backward; {@code training} is zeroing the gradients, a forward pass, and the backward pass of
 * {@code sum(output * R)} for a fixed random {@code R}, input gradient included. Model FLOPs
 * (matrix products only): forward {@code 2*B*T*G*H*(I+H)}, training three times that.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class CellBenchmark {

    /** {@code rnn} is the tanh cell. */
    @Param({"lstm", "gru", "rnn"})
    public String cell;

    /** B x T x I x H. */
    @Param({"1x50x32x64", "32x50x64x128", "64x100x128x256", "64x100x512x512"})
    public String shape;

    private RecurrentWorkload work;

    /** Builds the layer and seeded inputs. */
    @Setup
    public void setUp() {
        work = RecurrentWorkload.of(shape, cell, Registries.cells().get(cell));
    }

    /** Forward only. */
    @Benchmark
    public Tensor inference() {
        return work.inference();
    }

    /** Forward and backward, input gradient included. */
    @Benchmark
    public Tensor training() {
        return work.trainingStep();
    }
}
