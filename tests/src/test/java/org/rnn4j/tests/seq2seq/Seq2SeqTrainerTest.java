package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.collate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;

/**
 * A small encoder-decoder trained end to end through the real {@link Trainer}: reversing 3 to 6
 * symbols, Luong attention, scheduled sampling (whose draws depend on the seed and the step),
 * Adam with clipping, checkpoints every 10 steps. It learns, and a run stopped mid-epoch and
 * resumed from its last checkpoint in a fresh model ends with the uninterrupted run's weights.
 */
class Seq2SeqTrainerTest {

    private static final int VOCAB = 10;
    private static final int EPOCHS = 4;

    /** Sources of 3 to 6 symbols and their reversals. */
    private static List<Seq2SeqBatch> examples(long seed, int count) {
        int[][] sources = Seq2SeqFixtures.rows(new SplittableRandom(seed), count, 3, 6, VOCAB);
        return Seq2SeqFixtures.examples(Seq2SeqFixtures.reversal(sources));
    }

    private static Seq2Seq model() {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(8).hiddenSize(12).bidirectional(true).seed(31).build();
        return Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("lstm", 24)
                .attention(AttentionStyle.LUONG, "general").seed(32).build();
    }

    private static Trainer.Builder<Seq2SeqBatch, Seq2SeqBatch> trainer(Seq2Seq model, Path checkpoints,
                                                                        List<Seq2SeqBatch> validation) {
        return Trainer.<Seq2SeqBatch, Seq2SeqBatch>builder(model, Seq2SeqFixtures::collate)
                .optimizer("adam", Options.empty()).learningRate(0.02)
                .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                .decoderInputs("scheduled-sampling", Options.of("schedule", "linear", "slope", "0.01", "min", "0.3"))
                .batchSize(16).epochs(EPOCHS).seed(33).validation(validation)
                .checkpoints(checkpoints, 10, 2);
    }

    /** Exact-sequence accuracy of greedy decoding. */
    private static double exact(Seq2Seq model, List<Seq2SeqBatch> examples) {
        Seq2SeqBatch batch = collate(examples);
        List<Hypothesis> decoded = model.greedy(batch.source(), batch.sourceLengths(), 8);
        int right = 0;
        for (int r = 0; r < batch.size(); r++) {
            right += Arrays.equals(Arrays.copyOf(batch.target()[r], batch.targetLengths()[r]), decoded.get(r).tokens()) ? 1 : 0;
        }
        return right / (double) batch.size();
    }

    /** Stops a run after a given step, as a crash would. */
    private static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("interrupted for the test", null, false, false);
        }
    }

    @Test
    void learnsThroughTheTrainer(@TempDir Path dir) throws IOException {
        List<Seq2SeqBatch> held = examples(35, 64);
        Seq2Seq model = model();
        double before = exact(model, held);
        Trainer.History history = trainer(model, dir, held).build().fit(examples(34, 320));
        double after = exact(model, held);
        double firstLoss = history.epochs().getFirst().validation().loss();
        double lastLoss = history.last().validation().loss();
        String report = String.format("held-out loss %.3f after epoch 1, %.3f after epoch %d; exact sequences %.3f before, %.3f after",
                firstLoss, lastLoss, EPOCHS, before, after);
        assertTrue(lastLoss < 0.5 * firstLoss && after >= 0.5 && before < 0.05, report);
        assertEquals(2, Checkpoints.list(dir).size(), "the newest two checkpoints are kept");
    }

    @Test
    void aTokenOutsideTheVocabularyFailsBeforeTheFirstStep(@TempDir Path dir) {
        List<Seq2SeqBatch> data = new ArrayList<>(examples(34, 40));
        data.add(Seq2SeqBatch.of(new int[][] {{4, 5}}, new int[][] {{5, VOCAB}}, Seq2SeqFixtures.PAD));
        Seq2Seq model = model();
        float[] before = model.parameters().getFirst().value().data().clone();
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(model, dir, examples(35, 8)).build().fit(data));
        assertTrue(e.getMessage().contains("target token " + VOCAB) && e.getMessage().contains("[0, " + VOCAB + ")"),
                e.getMessage());
        assertArrayEquals(before, model.parameters().getFirst().value().data(), "no step ran");
    }

    /** Runs on both kernels (the tests' second surefire execution repeats it on the scalar ones). */
    @Test
    void aRunStoppedMidEpochAndResumedEndsWithTheUninterruptedWeightsBitForBit(@TempDir Path dir) throws IOException {
        List<Seq2SeqBatch> data = examples(34, 320);
        List<Seq2SeqBatch> held = examples(35, 64);
        Seq2Seq uninterrupted = model();
        Trainer.History full = trainer(uninterrupted, dir.resolve("full"), held).build().fit(data);

        Path stopped = dir.resolve("stopped");
        Seq2Seq crashed = model();
        assertThrows(Interrupted.class, () -> trainer(crashed, stopped, held).listener(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                if (event.step() == 55) {
                    throw new Interrupted();
                }
            }
        }).build().fit(data));
        Path last = Checkpoints.latest(stopped).orElseThrow();
        assertTrue(last.getFileName().toString().startsWith("checkpoint-s000000000050-e000002-b000000010"), last.toString());

        Seq2Seq resumed = model();
        Trainer.History rest = trainer(resumed, dir.resolve("resumed"), held).build().resume(last, data);
        assertEquals(full.steps(), rest.steps());
        for (int i = 0; i < resumed.parameters().size(); i++) {
            assertArrayEquals(uninterrupted.parameters().get(i).value().data(), resumed.parameters().get(i).value().data(),
                    resumed.parameters().get(i).name());
        }
        assertEquals(full.last().validation().loss(), rest.last().validation().loss());
    }
}
