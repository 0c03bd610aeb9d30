package org.rnn4j.bench;

import java.util.SplittableRandom;
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
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;

/**
 * One attention step of a decoder over encoder outputs, B = 32 queries over S = 50 keys of
 * H = 128 features (attention size 128 for {@code additive}), every position real:
 * {@code inference} is scores, masked softmax and context; {@code training} adds the backward
 * pass of {@code sum(context * R)} into the query, the keys and the scorer's parameters.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class AttentionBenchmark {

    private static final int B = 32;
    private static final int S = 50;
    private static final int H = 128;

    /** The registered scorer. */
    @Param({"dot", "scaled-dot", "general", "additive"})
    public String scorer;

    private Attention attention;
    private Tensor query;
    private Tensor keys;
    private Tensor probe;

    /** Builds the step and seeded inputs. */
    @Setup
    public void setUp() {
        attention = Attention.create(scorer, H, H, H, Options.empty(), 1);
        SplittableRandom rng = new SplittableRandom(2);
        query = RecurrentWorkload.random(rng, B, H);
        keys = RecurrentWorkload.random(rng, B, S, H);
        probe = RecurrentWorkload.random(rng, B, H);
    }

    /** Forward only. */
    @Benchmark
    public Tensor inference() {
        return attention.forward(query, keys, null, false).context();
    }

    /** Forward and backward, query and key gradients included. */
    @Benchmark
    public Attention.Gradients training() {
        for (Parameter p : attention.parameters()) {
            p.zeroGrad();
        }
        return attention.forward(query, keys, null, true).backward(probe, null);
    }
}
