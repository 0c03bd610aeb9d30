package org.rnn4j.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.core.Parameter;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;

/**
 * An encoder-decoder at a realistic small size: B = 32, S = T = 20, vocabulary 64, embeddings 64,
 * LSTM encoder and decoder of H = 128, Luong attention with the {@code general} scorer and input
 * feeding. {@code trainingStep} is zeroing the gradients and one teacher-forced {@code train} call
 * (forward, loss, backward into every parameter); {@code greedy} decodes the 32 sources for 20 steps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
public class Seq2SeqBenchmark {

    private static final int B = 32;
    private static final int STEPS = 20;
    private static final int VOCAB = 64;

    private Seq2Seq model;
    private Seq2SeqBatch batch;
    private Trainable.Context context;

    /** Builds the model and a seeded batch of tokens clear of the special ids. */
    @Setup
    public void setUp() {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(64).hiddenSize(128).seed(1).build();
        model = Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("lstm", 128)
                .attention(AttentionStyle.LUONG, "general").seed(2).build();
        SplittableRandom rng = new SplittableRandom(3);
        int[][] source = new int[B][STEPS];
        int[][] target = new int[B][STEPS];
        for (int r = 0; r < B; r++) {
            for (int t = 0; t < STEPS; t++) {
                source[r][t] = 4 + rng.nextInt(VOCAB - 4);
                target[r][t] = 4 + rng.nextInt(VOCAB - 4);
            }
        }
        int[] lengths = new int[B];
        java.util.Arrays.fill(lengths, STEPS);
        batch = new Seq2SeqBatch(source, lengths, target, lengths);
        context = new Trainable.Context(0, 0, 4,
                Registries.decoderInputPolicies().get("teacher-forcing").create(Options.empty()));
    }

    /** One training step without the optimizer update. */
    @Benchmark
    public Trainable.Result trainingStep() {
        for (Parameter p : model.parameters()) {
            p.zeroGrad();
        }
        return model.train(batch, new UnrollingStrategy.Window(0, 0, 1), context);
    }

    /** Greedy decoding of the batch's sources, 20 steps. */
    @Benchmark
    public List<Hypothesis> greedy() {
        return model.greedy(batch.source(), batch.sourceLengths(), STEPS);
    }
}
