package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.collate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.BatchSampler;

/**
 * The decoder input policy chosen on {@link Trainer.Builder#decoderInputs} reaches the model: the
 * trainer's first step under each policy has the loss the model gives under that policy called
 * directly, and the policies' losses differ.
 */
class DecoderPolicyWiringTest {

    private static final int VOCAB = 10;
    private static final int EXAMPLES = 12;

    private static Seq2Seq model() {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(6).hiddenSize(8).seed(21).build();
        return Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("gru", 8)
                .attention(AttentionStyle.LUONG, "general").seed(22).build();
    }

    /** One-row examples with targets of 3 to 6 tokens, so the decoder feeds itself several times. */
    private static List<Seq2SeqBatch> examples() {
        return Seq2SeqFixtures.examples(Seq2SeqFixtures.randomBatch(new SplittableRandom(23), EXAMPLES, 3, 6, 3, 6, VOCAB));
    }

    /** The loss of the first step a trainer of a fresh model takes with {@code policy}, all examples in one batch. */
    private static double firstStepLoss(String policy, Options options, long seed) throws IOException {
        List<Double> losses = new ArrayList<>();
        Trainer.<Seq2SeqBatch, Seq2SeqBatch>builder(model(), Seq2SeqFixtures::collate)
                .decoderInputs(policy, options).sampler(BatchSampler.sequential(EXAMPLES)).batchSize(EXAMPLES)
                .epochs(1).seed(seed).listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingListener.StepEvent event) {
                        losses.add(event.loss());
                    }
                }).build().fit(examples());
        assertEquals(1, losses.size(), "one batch, one step");
        return losses.getFirst();
    }

    /** The loss of a fresh model's training pass over all examples, given the policy directly, at step 0. */
    private static double directLoss(String policy, Options options, long seed) {
        Trainable.Context context = new Trainable.Context(0, 0, seed,
                Registries.decoderInputPolicies().get(policy).create(options));
        return model().train(collate(examples()), WHOLE, context).loss();
    }

    @Test
    void theTrainerPassesTheChosenPolicyToTheModel() throws IOException {
        double forced = firstStepLoss("teacher-forcing", Options.empty(), 5);
        double free = firstStepLoss("free-running", Options.empty(), 5);
        assertEquals(directLoss("teacher-forcing", Options.empty(), 5), forced, 1e-9);
        assertEquals(model().evaluate(collate(examples())).loss(), forced, 1e-9, "teacher forcing feeds the targets");
        assertEquals(directLoss("free-running", Options.empty(), 5), free, 1e-9);
        assertTrue(Math.abs(free - forced) > 1e-3, "free running " + free + " against teacher forcing " + forced);

        // Scheduled sampling with inverse-sigmoid k = 1 feeds the ground truth with probability 1/2 at
        // step 0, drawn from the trainer's seed: its loss is the model's under the same seed.
        Options half = Options.of("schedule", "inverse-sigmoid", "k", "1");
        for (long seed : new long[] {5, 6}) {
            double mixed = firstStepLoss("scheduled-sampling", half, seed);
            assertEquals(directLoss("scheduled-sampling", half, seed), mixed, 1e-9, "seed " + seed);
            assertTrue(Math.abs(mixed - forced) > 1e-4 && Math.abs(mixed - free) > 1e-4,
                    "seed " + seed + ": a mix, " + mixed + ", apart from teacher forcing " + forced + " and free running " + free);
        }
    }
}
