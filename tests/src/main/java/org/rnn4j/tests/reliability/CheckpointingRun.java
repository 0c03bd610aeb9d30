package org.rnn4j.tests.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.SequenceBatch;

/**
 * A small, seeded training run with checkpoints, shared by the crash test (whose child JVM runs
 * {@link #main}) and the loader fuzzer (whose seed checkpoints it writes). The model is a GRU
 * language model over a 5-token vocabulary; everything is derived from fixed seeds so that every
 * process builds the same model, data and trainer.
 */
public final class CheckpointingRun {

    /** Sequences per epoch. */
    public static final int SEQUENCES = 32;
    /** Sequences per batch, so {@code SEQUENCES / BATCH} steps per epoch. */
    public static final int BATCH = 8;
    /** Seed of the trainer; a checkpoint resumes only under the seed it was made with. */
    public static final long SEED = 7;

    private CheckpointingRun() {
    }

    /** The model, freshly initialized, with hidden size {@code hidden}. */
    public static SequenceModel model(int hidden) {
        return SequenceModel.builder(Recurrent.builder("gru").inputSize(4).hiddenSize(hidden).seed(1).build())
                .vocabulary(5, 0).outputs(5).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
    }

    /** {@link #SEQUENCES} random token sequences of 6 steps. */
    public static List<int[]> data() {
        SplittableRandom rng = new SplittableRandom(11);
        List<int[]> sequences = new ArrayList<>();
        for (int i = 0; i < SEQUENCES; i++) {
            int[] s = new int[6];
            for (int t = 0; t < s.length; t++) {
                s[t] = 1 + rng.nextInt(4);
            }
            sequences.add(s);
        }
        return sequences;
    }

    /**
     * A trainer of {@code model} for {@code epochs} epochs that skips non-finite steps (a fuzzed
     * checkpoint may hold any weights), with a checkpoint every {@code everySteps} steps into
     * {@code directory} when it is not null (keeping the newest three).
     */
    public static Trainer<int[], SequenceBatch> trainer(SequenceModel model, int epochs, Path directory, int everySteps) {
        Trainer.Builder<int[], SequenceBatch> b = Trainer.<int[], SequenceBatch>builder(model, CheckpointingRun::batch)
                .optimizer("adam", Options.empty()).learningRate(0.01).batchSize(BATCH).epochs(epochs).seed(SEED)
                .onNonFinite(Trainer.OnNonFinite.SKIP);
        if (directory != null) {
            b.checkpoints(directory, everySteps, 3);
        }
        return b.build();
    }

    /** Next-token prediction: the label at step t is the token at t + 1. */
    private static SequenceBatch batch(List<int[]> sequences) {
        int[][] tokens = sequences.toArray(new int[0][]);
        int[][] labels = new int[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            labels[b] = new int[tokens[b].length];
            for (int t = 0; t < tokens[b].length; t++) {
                labels[b][t] = t + 1 < tokens[b].length ? tokens[b][t + 1] : SequenceModel.IGNORE;
            }
        }
        return new SequenceBatch(null, tokens, null, null, labels);
    }

    /**
     * Trains with a checkpoint after every step into the folder {@code args[0]}, resuming from its
     * newest checkpoint when there is one, until killed. {@code args[1]} is the hidden size. Prints
     * {@code started from <checkpoint>} (or {@code scratch}) before it trains.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int hidden = Integer.parseInt(args[1]);
        SequenceModel model = model(hidden);
        Trainer<int[], SequenceBatch> trainer = trainer(model, Integer.MAX_VALUE, dir, 1);
        Optional<Path> latest = Checkpoints.latest(dir);
        System.out.println("started from " + latest.map(p -> p.getFileName().toString()).orElse("scratch"));
        System.out.flush();
        if (latest.isPresent()) {
            trainer.resume(latest.get(), data());
        } else {
            trainer.fit(data());
        }
    }
}
