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
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.data.SequenceBatch;

/**
 * One full training step of an LSTM regression model, as the trainer runs it: zero the gradients,
 * forward, mean squared error on a dense head over the last state, backward, {@code clip-norm},
 * Adam. PyTorch's equivalent is {@code nn.LSTM} + {@code nn.Linear} on the last step + {@code
 * mse_loss} + {@code clip_grad_norm_} + {@code Adam.step}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class TrainingStepBenchmark {

    /** B x T x I x H. */
    @Param({"32x50x64x128", "64x100x128x256"})
    public String shape;

    private SequenceModel model;
    private SequenceBatch batch;
    private Optimizer adam;
    private GradientTransform clip;
    private UnrollingStrategy.Window window;
    private Trainable.Context context;

    @Setup
    public void setUp() {
        String[] d = shape.split("x");
        int b = Integer.parseInt(d[0]);
        int t = Integer.parseInt(d[1]);
        int i = Integer.parseInt(d[2]);
        int h = Integer.parseInt(d[3]);
        model = SequenceModel.builder(Recurrent.builder("lstm").inputSize(i).hiddenSize(h).seed(1).build()).seed(2).build();
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(b, t, i);
        Tensor y = Tensor.zeros(b, 1);
        for (int k = 0; k < x.size(); k++) {
            x.data()[k] = (float) rng.nextDouble(-1, 1);
        }
        for (int k = 0; k < y.size(); k++) {
            y.data()[k] = (float) rng.nextDouble(-1, 1);
        }
        batch = new SequenceBatch(x, null, null, y, null);
        adam = Registries.optimizers().get("adam").create(Options.empty());
        clip = Registries.gradientTransforms().get("clip-norm").create(Options.of("max_norm", "1"));
        window = new UnrollingStrategy.Window(0, 0, 1);
        context = new Trainable.Context(0, 0, 1, Registries.decoderInputPolicies().get("teacher-forcing").create(Options.empty()));
    }

    @Benchmark
    public double step() {
        model.parameters().forEach(Parameter::zeroGrad);
        double loss = model.train(batch, window, context).loss();
        clip.apply(model.parameters());
        adam.step(model.parameters(), 1e-4);
        return loss;
    }
}
