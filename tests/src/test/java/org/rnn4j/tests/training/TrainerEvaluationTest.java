package org.rnn4j.tests.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.collate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.tests.seq2seq.Seq2SeqFixtures;
import org.rnn4j.training.Metrics;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;

/**
 * {@link Trainer#evaluate} against sums done here, which weights to keep at the end of a run
 * ({@link Trainer.Builder#restoreBest}), the early-stopping margin, and {@link Metrics}' derived values.
 */
class TrainerEvaluationTest {

    /** {@code n} points on {@code y = 3x - 1}, x from -2 in steps of 0.1 from {@code first}. */
    private static List<float[]> line(int first, int n) {
        List<float[]> data = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            float x = (i - 20) / 10f;
            data.add(new float[] {x, 3 * x - 1});
        }
        return data;
    }

    private static Trainer.Builder<float[], List<float[]>> builder(Line model) {
        return Trainer.<float[], List<float[]>>builder(model, batch -> batch).optimizer("sgd", Options.empty())
                .batchSize(8).seed(7);
    }

    /**
     * Ten items in batches of 4, 4 and 2: the mean is over items, so the short batch counts half as
     * much as a full one, which an average of the batch means would not do.
     */
    @Test
    void evaluateAveragesOverItemsAcrossBatchesOfUnequalSize() {
        Line model = new Line(true);
        model.w.value().data()[0] = 2.2f;
        model.b.value().data()[0] = -0.3f;
        // Spread x and noise so the three batches have clearly different mean losses.
        List<float[]> data = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 10; i++) {
            float x = (i - 5) * 0.4f;
            data.add(new float[] {x, 3 * x - 1 + (float) rng.nextDouble(-0.3, 0.3)});
        }
        Metrics m = builder(model).batchSize(4).build().evaluate(data);

        double weighted = 0;
        double meanOfMeans = 0;
        long correct = 0;
        int batches = 0;
        for (int start = 0; start < data.size(); start += 4) {
            List<float[]> batch = data.subList(start, Math.min(start + 4, data.size()));
            Trainable.Result r = model.evaluate(batch);
            weighted += r.loss() * r.count();
            meanOfMeans += r.loss();
            correct += r.correct();
            batches++;
        }
        assertEquals(3, batches);
        weighted /= data.size();
        meanOfMeans /= batches;
        assertEquals(10, m.count());
        assertEquals(weighted, m.loss(), 1e-12 * weighted, "loss weighted by the items of each batch");
        assertTrue(Math.abs(weighted - meanOfMeans) > 0.05 * weighted,
                "the data must tell the item mean (" + weighted + ") from the mean of batch means (" + meanOfMeans + ")");
        assertEquals(correct / 10.0, m.accuracy(), 1e-15);
        assertTrue(correct > 0 && correct < 10, "accuracy strictly between 0 and 1, given " + correct + " of 10");

        // The same numbers from the weights alone, without the model's evaluate.
        double squares = 0;
        for (float[] xy : data) {
            double err = 2.2 * xy[0] - 0.3 - xy[1];
            squares += err * err;
        }
        assertEquals(squares / 10, m.loss(), 1e-5 * m.loss());
        assertEquals(Math.sqrt(squares / 10), m.rmse(), 1e-5 * m.rmse());
        // A model that does not classify has no accuracy.
        Line regression = new Line(false);
        assertTrue(Double.isNaN(builder(regression).batchSize(4).build().evaluate(data).accuracy()));
    }

    private static final int VOCAB = 9;

    /** One-row examples: sources of 2 to 5 tokens, targets of 1 to 6, so batches hold different token counts. */
    private static List<Seq2SeqBatch> examples(long seed, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Seq2SeqBatch> out = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int[] source = new int[2 + rng.nextInt(4)];
            int[] target = new int[1 + rng.nextInt(6)];
            for (int t = 0; t < source.length; t++) {
                source[t] = 4 + rng.nextInt(VOCAB - 4);
            }
            for (int t = 0; t < target.length; t++) {
                target[t] = t == target.length - 1 ? 3 : 4 + rng.nextInt(VOCAB - 4);
            }
            out.add(Seq2SeqBatch.of(new int[][] {source}, new int[][] {target}, 0));
        }
        return out;
    }

    /**
     * An encoder-decoder's items are target tokens: the trainer's mean over ragged batches is the
     * token mean, the same as one batch of everything gives, and its accuracy the share of tokens.
     */
    @Test
    void evaluateWeightsAnEncoderDecodersBatchesByTheirTargetTokens() {
        Recurrent encoder = Recurrent.builder("gru").inputSize(5).hiddenSize(6).seed(11).build();
        Seq2Seq model = Seq2Seq.builder().vocabulary(VOCAB).encoder(encoder).decoder("lstm", 6)
                .attention(AttentionStyle.LUONG, "general").seed(12).build();
        List<Seq2SeqBatch> data = examples(13, 11);
        Metrics m = Trainer.<Seq2SeqBatch, Seq2SeqBatch>builder(model, Seq2SeqFixtures::collate).batchSize(3).build()
                .evaluate(data);

        double lossSum = 0;
        long tokens = 0;
        long correct = 0;
        List<Double> batchLosses = new ArrayList<>();
        for (int start = 0; start < data.size(); start += 3) {
            Trainable.Result r = model.evaluate(collate(data.subList(start, Math.min(start + 3, data.size()))));
            lossSum += r.loss() * r.count();
            tokens += r.count();
            correct += r.correct();
            batchLosses.add(r.loss());
        }
        long expectedTokens = data.stream().mapToLong(e -> e.targetLengths()[0]).sum();
        assertEquals(expectedTokens, tokens, "the model counts target tokens");
        assertEquals(expectedTokens, m.count());
        assertEquals(lossSum / tokens, m.loss(), 1e-9 * m.loss());
        assertEquals((double) correct / tokens, m.accuracy(), 1e-12);
        Trainable.Result whole = model.evaluate(collate(data));
        assertEquals(whole.loss(), m.loss(), 1e-5 * whole.loss(), "one batch of everything");
        assertEquals((double) whole.correct() / whole.count(), m.accuracy(), 1e-12);
        double meanOfMeans = batchLosses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(Math.abs(meanOfMeans - m.loss()) > 1e-3 * m.loss(),
                "the batches must tell the token mean from the mean of batch means");
    }

    /** What an early-stopped run leaves: the model's weights and validation loss after each epoch. */
    private record Run(Trainer.History history, List<float[]> weights, float[] end) {
    }

    /**
     * Training pulls w from -2 towards 3; the validation points lie on y = x - 1, so the validation
     * loss falls while w approaches 1 and rises once training pulls it beyond.
     */
    private static Run overshooting(boolean restoreBest) throws IOException {
        Line model = new Line(false);
        model.w.value().data()[0] = -2f;
        List<float[]> validation = List.of(new float[] {1f, 0f}, new float[] {2f, 1f});
        List<float[]> weights = new ArrayList<>();
        Trainer.History history = builder(model).learningRate(0.005).epochs(200).validation(validation)
                .earlyStopping(3, 0).restoreBest(restoreBest).listener(new TrainingListener() {
                    @Override
                    public void onEpoch(TrainingListener.EpochEvent event) {
                        weights.add(model.weights());
                    }
                }).build().fit(line(0, 40));
        return new Run(history, weights, model.weights());
    }

    @Test
    void restoreBestChoosesBetweenTheBestEpochsWeightsAndTheLastOnes() throws IOException {
        Run kept = overshooting(false);
        Run restored = overshooting(true);
        assertEquals(kept.history().epochs().size(), restored.history().epochs().size(), "the same run up to the end");
        assertTrue(kept.history().stoppedEarly() && restored.history().stoppedEarly());
        List<TrainingListener.EpochEvent> epochs = restored.history().epochs();
        int best = 0;
        for (int e = 1; e < epochs.size(); e++) {
            if (epochs.get(e).validation().loss() < epochs.get(best).validation().loss()) {
                best = e;
            }
        }
        int last = epochs.size() - 1;
        assertEquals(last - 3, best, "three epochs without improvement after the best");
        assertTrue(epochs.get(last).validation().loss() > epochs.get(best).validation().loss() * 1.001,
                "the last epoch must be clearly worse than the best for the test to tell them apart");
        assertFalse(Arrays.equals(kept.weights().get(last), kept.weights().get(best)));

        assertArrayEquals(kept.weights().get(last), kept.end(), "restoreBest(false) keeps the last epoch's weights");
        assertArrayEquals(restored.weights().get(best), restored.end(), "restoreBest(true) puts back the best epoch's");
        assertArrayEquals(kept.weights().get(best), restored.end(), "the two runs are the same until the end");
    }

    /**
     * With a margin, the steady but shrinking improvements of a converging fit stop counting once
     * they fall below it: the run stops where the rule, applied by hand to an unstopped run's
     * validation losses, says, although the loss was still falling.
     */
    @Test
    void earlyStoppingWithAMarginStopsWhenImprovementsFallBelowIt() throws IOException {
        List<float[]> train = line(0, 40);
        List<float[]> validation = line(1, 5);
        Trainer.History free = builder(new Line(false)).learningRate(0.002).epochs(40).validation(validation)
                .earlyStopping(2, 0).build().fit(train);
        assertFalse(free.stoppedEarly());
        List<TrainingListener.EpochEvent> epochs = free.epochs();
        assertEquals(40, epochs.size());
        double[] loss = epochs.stream().mapToDouble(e -> e.validation().loss()).toArray();
        for (int e = 1; e < loss.length; e++) {
            assertTrue(loss[e] < loss[e - 1], "the validation loss falls every epoch: " + Arrays.toString(loss));
            assertTrue(epochs.get(e).improved(), "without a margin every epoch improves");
        }
        // A margin between the first and the last improvements.
        double minDelta = (loss[9] - loss[10]) * 1.01;
        assertTrue(minDelta < loss[0] - loss[1] && minDelta > loss[38] - loss[39], Arrays.toString(loss));

        // The rule as documented: an epoch improves when its loss is below the best so far by more
        // than minDelta; two epochs in a row without improvement stop the run.
        List<Boolean> improved = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bad = 0;
        int stopAfter = -1;
        for (int e = 0; e < loss.length; e++) {
            boolean better = loss[e] < best - minDelta;
            improved.add(better);
            if (better) {
                best = loss[e];
                bad = 0;
            } else if (++bad == 2) {
                stopAfter = e;
                break;
            }
        }
        assertTrue(stopAfter > 2 && stopAfter < 39, "stop after epoch " + stopAfter);

        Line model = new Line(false);
        Trainer.History margin = builder(model).learningRate(0.002).epochs(40).validation(validation)
                .earlyStopping(2, minDelta).build().fit(train);
        assertTrue(margin.stoppedEarly());
        assertEquals(stopAfter + 1, margin.epochs().size(), "epochs run");
        for (int e = 0; e <= stopAfter; e++) {
            assertEquals(loss[e], margin.epochs().get(e).validation().loss(), 0, "the same run, epoch " + e);
            assertEquals(improved.get(e), margin.epochs().get(e).improved(), "improved at epoch " + e);
        }
        assertTrue(loss[stopAfter] < loss[stopAfter - 1], "the loss still fell when the run stopped");
    }

    @Test
    void derivedMetricsAreTheLossRescaled() {
        Metrics nats = new Metrics(3 * Math.log(2), 100, 0.25);
        assertEquals(3.0, nats.bits(), 1e-12);
        assertEquals(8.0, nats.perplexity(), 1e-12);
        assertEquals(Math.sqrt(3 * Math.log(2)), nats.rmse(), 1e-12);
        Metrics mse = new Metrics(2.25, 4, Double.NaN);
        assertEquals(1.5, mse.rmse(), 0);
        assertEquals(Math.exp(2.25), mse.perplexity(), 1e-12);
        assertEquals(2.25 / 0.6931471805599453, mse.bits(), 1e-12);
        Metrics perfect = new Metrics(0, 7, 1);
        assertEquals(1.0, perfect.perplexity(), 0);
        assertEquals(0.0, perfect.bits(), 0);
        assertEquals(0.0, perfect.rmse(), 0);
        // A uniform guess among 5 classes: cross-entropy ln 5, perplexity 5, log2(5) bits.
        Metrics uniform = new Metrics(Math.log(5), 10, 0.2);
        assertEquals(5.0, uniform.perplexity(), 1e-12);
        assertEquals(Math.log(5) / Math.log(2), uniform.bits(), 1e-12);
        assertEquals(2.321928094887362, uniform.bits(), 1e-12);
    }
}
