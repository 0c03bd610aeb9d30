package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

/** Small character language models and token data for the tests. */
final class CharModels {

    static final int VOCABULARY = 12;

    private CharModels() {
    }

    /** A two-layer LSTM language model over {@link #VOCABULARY} tokens; dropout between the layers when asked. */
    static SequenceModel languageModel(double dropout) {
        return SequenceModel.builder(Recurrent.builder("lstm").inputSize(6).hiddenSize(10).layers(2).dropout(dropout)
                        .seed(11).build())
                .vocabulary(VOCABULARY, Vocabulary.PAD).outputs(VOCABULARY)
                .output(SequenceModel.Output.SEQUENCE).objective(SequenceModel.Objective.CLASSIFICATION).seed(12).build();
    }

    /** Next-token batches, padded; the collate function of every test. */
    static SequenceBatch collate(List<int[]> sequences) {
        return Batches.languageModel(sequences, Vocabulary.PAD);
    }

    /**
     * Token sequences of 4 to 24 ids drawn from a simple grammar (each token mostly followed by the
     * next one), so that a model can learn something.
     */
    static List<int[]> sequences(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] s = new int[4 + rng.nextInt(21)];
            s[0] = Vocabulary.BOS;
            int token = 4 + rng.nextInt(VOCABULARY - 4);
            for (int t = 1; t < s.length; t++) {
                s[t] = token;
                token = rng.nextInt(5) == 0 ? 4 + rng.nextInt(VOCABULARY - 4) : 4 + (token - 3) % (VOCABULARY - 4);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A model with faults injected by step number, each once (executors in local mode share the
     * test's JVM): {@link #failAt} throws, to break a Spark job in the middle of a run;
     * {@link #divergeAt} runs the step with NaN embeddings, so that the recurrent layer's input
     * check throws {@link org.rnn4j.core.NonFiniteValueException} as a diverged model's would (the
     * next step loads the driver's weights again). Once, because a skipped step keeps its number.
     */
    static final class Faulty implements Trainable<SequenceBatch> {

        static volatile long failAt = -1;
        static volatile long divergeAt = -1;

        private final SequenceModel model;

        Faulty(SequenceModel model) {
            this.model = model;
        }

        @Override
        public List<org.rnn4j.core.Parameter> parameters() {
            return model.parameters();
        }

        @Override
        public int unrolledLength(SequenceBatch batch) {
            return model.unrolledLength(batch);
        }

        @Override
        public Result train(SequenceBatch batch, UnrollingStrategy.Window window, Context context) {
            if (context.step() == failAt) {
                failAt = -1;
                throw new IllegalStateException("executor lost at step " + context.step());
            }
            if (context.step() == divergeAt) {
                divergeAt = -1;
                java.util.Arrays.fill(model.parameters().getFirst().value().data(), Float.NaN);
            }
            return model.train(batch, window, context);
        }

        @Override
        public Result evaluate(SequenceBatch batch) {
            return model.evaluate(batch);
        }
    }
}
