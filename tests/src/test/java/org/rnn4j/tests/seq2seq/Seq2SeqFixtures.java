package org.rnn4j.tests.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;

/** Batches, policies and contexts the encoder-decoder tests share. */
public final class Seq2SeqFixtures {

    /** The project's vocabulary ids. */
    static final int PAD = 0;
    static final int BOS = 2;
    static final int EOS = 3;

    /** The window of a model that does not unroll. */
    static final UnrollingStrategy.Window WHOLE = new UnrollingStrategy.Window(0, 0, 1);

    private Seq2SeqFixtures() {
    }

    static DecoderInputPolicy policy(String name) {
        return Registries.decoderInputPolicies().get(name).create(Options.empty());
    }

    static Trainable.Context context(String policy) {
        return new Trainable.Context(0, 0, 7, policy(policy));
    }

    /**
     * Random rows of lengths drawn from {@code [minLength, maxLength]}, tokens in {@code [4, vocabulary)}
     * (clear of the special ids), padded with {@link #PAD}.
     */
    static int[][] rows(SplittableRandom rng, int count, int minLength, int maxLength, int vocabulary) {
        int[][] rows = new int[count][];
        for (int r = 0; r < count; r++) {
            rows[r] = new int[minLength + rng.nextInt(maxLength - minLength + 1)];
            for (int t = 0; t < rows[r].length; t++) {
                rows[r][t] = 4 + rng.nextInt(vocabulary - 4);
            }
        }
        return rows;
    }

    /** A batch of random sources and random targets of the given length ranges. */
    static Seq2SeqBatch randomBatch(SplittableRandom rng, int b, int minS, int maxS, int minT, int maxT, int vocabulary) {
        return Seq2SeqBatch.of(rows(rng, b, minS, maxS, vocabulary), rows(rng, b, minT, maxT, vocabulary), PAD);
    }

    /** The reversal task: each target is its source reversed, then the end-of-sequence token. */
    static Seq2SeqBatch reversal(int[][] sources) {
        int[][] targets = new int[sources.length][];
        for (int r = 0; r < sources.length; r++) {
            int len = sources[r].length;
            targets[r] = new int[len + 1];
            for (int t = 0; t < len; t++) {
                targets[r][t] = sources[r][len - 1 - t];
            }
            targets[r][len] = EOS;
        }
        return Seq2SeqBatch.of(sources, targets, PAD);
    }

    /** Splits {@code batch} into one-row examples, each row cut to its length and padded with {@link #PAD}. */
    public static List<Seq2SeqBatch> examples(Seq2SeqBatch batch) {
        List<Seq2SeqBatch> examples = new ArrayList<>();
        for (int r = 0; r < batch.size(); r++) {
            examples.add(Seq2SeqBatch.of(new int[][] {Arrays.copyOf(batch.source()[r], batch.sourceLengths()[r])},
                    new int[][] {Arrays.copyOf(batch.target()[r], batch.targetLengths()[r])}, PAD));
        }
        return examples;
    }

    /** Stacks one-row examples into a batch padded with {@link #PAD}. */
    public static Seq2SeqBatch collate(List<Seq2SeqBatch> rows) {
        int[][] sources = new int[rows.size()][];
        int[][] targets = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            sources[r] = Arrays.copyOf(rows.get(r).source()[0], rows.get(r).sourceLengths()[0]);
            targets[r] = Arrays.copyOf(rows.get(r).target()[0], rows.get(r).targetLengths()[0]);
        }
        return Seq2SeqBatch.of(sources, targets, PAD);
    }
}
