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
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;

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

    private Recurrent layer;
    private Tensor x;
    private Tensor probe;

    /** Builds the layer and seeded inputs. */
    @Setup
    public void setUp() {
        String[] d = shape.split("x");
        int b = Integer.parseInt(d[0]);
        int t = Integer.parseInt(d[1]);
        int i = Integer.parseInt(d[2]);
        int h = Integer.parseInt(d[3]);
        layer = Recurrent.builder(cell).inputSize(i).hiddenSize(h).options(Options.empty()).seed(1).build();
        SplittableRandom rng = new SplittableRandom(2);
        x = Tensor.zeros(b, t, i);
        probe = Tensor.zeros(b, t, h);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = (float) rng.nextDouble(-1, 1);
        }
        for (int k = 0; k < probe.size(); k++) {
            probe.data()[k] = (float) rng.nextDouble(-1, 1);
        }
    }

    /** Forward only. */
    @Benchmark
    public Tensor inference() {
        return layer.forward(x).output();
    }

    /** Forward and backward, input gradient included. */
    @Benchmark
    public Tensor training() {
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        RecurrentOutput out = layer.forward(x, null, null, true);
        return out.backward(probe, null, null).input();
    }
}
