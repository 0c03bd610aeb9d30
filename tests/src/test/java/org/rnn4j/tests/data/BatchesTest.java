package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Tensor;
import org.rnn4j.training.Losses;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

class BatchesTest {

    private static final int PAD = Vocabulary.PAD;
    private static final int IGNORE = Batches.IGNORE_LABEL;

    @Test
    void tokenSequencesArePaddedAtTheEndWithTheirLengths() {
        SequenceBatch b = Batches.tokens(List.of(new int[] {5, 6}, new int[] {7, 8, 9, 10}, new int[] {11}), PAD);
        assertArrayEquals(new int[][] {{5, 6, 0, 0}, {7, 8, 9, 10}, {11, 0, 0, 0}}, b.tokens());
        assertArrayEquals(new int[] {2, 4, 1}, b.lengths());
        assertEquals(4, b.steps());
        assertNull(b.labels());
        assertNull(b.targets());
        assertArrayEquals(new int[][] {{5, 9}}, Batches.tokens(List.<int[]>of(new int[] {5, 9}), 9).tokens());
        assertArrayEquals(new int[][] {{5, 7}, {4, 4}}, Batches.tokens(List.of(new int[] {5, 7}, new int[] {4}), 4).tokens());
    }

    @Test
    void languageModelLabelsAreTheNextTokenAndIgnoredBeyondTheLength() {
        SequenceBatch b = Batches.languageModel(List.of(new int[] {2, 10, 11, 3}, new int[] {2, 12, 3}), PAD);
        assertArrayEquals(new int[][] {{2, 10, 11}, {2, 12, 0}}, b.tokens());
        assertArrayEquals(new int[][] {{10, 11, 3}, {12, 3, IGNORE}}, b.labels());
        assertArrayEquals(new int[] {3, 2}, b.lengths());
    }

    @Test
    void languageModelBatchesOfEncodedTextFeedTheMaskedLoss() {
        CharTokenizer chars = CharTokenizer.fit("sou negro", 1, 100);
        SequenceBatch b = Batches.languageModel(List.of(chars.encode("sou", true), chars.encode("negro", true)), PAD);
        assertArrayEquals(new int[] {4, 6}, b.lengths());
        int classes = chars.vocabulary().size();
        int[] flat = new int[b.batchSize() * b.steps()];
        for (int r = 0; r < b.batchSize(); r++) {
            System.arraycopy(b.labels()[r], 0, flat, r * b.steps(), b.steps());
        }
        // Uniform logits: the loss is log(C) over the 10 real positions, the 2 padded ones do not count.
        var loss = Losses.crossEntropy(Tensor.zeros(b.batchSize(), b.steps(), classes), flat, IGNORE, 0);
        assertEquals(Math.log(classes), loss.value(), 1e-6);
        assertEquals(0, loss.gradient().get(0, 5, 0));
        assertTrue(loss.gradient().get(0, 3, 0) != 0);
    }

    @Test
    void classificationHasOneLabelPerSequence() {
        SequenceBatch b = Batches.classification(List.of(new int[] {4, 5, 6}, new int[] {7}), new int[] {1, 0}, PAD);
        assertArrayEquals(new int[][] {{1}, {0}}, b.labels());
        assertArrayEquals(new int[][] {{4, 5, 6}, {7, 0, 0}}, b.tokens());
        assertArrayEquals(new int[] {3, 1}, b.lengths());
        var count = assertThrows(IllegalArgumentException.class,
                () -> Batches.classification(List.of(new int[] {4}), new int[] {1, 0}, PAD));
        assertTrue(count.getMessage().contains("given 2 labels for 1 sequences"), count.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> Batches.classification(List.of(new int[] {4}), new int[] {-1}, PAD));
        assertTrue(negative.getMessage().contains("label of sequence 0 is -1"), negative.getMessage());
    }

    @Test
    void taggingLabelsArePaddedWithTheIgnoreLabel() {
        SequenceBatch b = Batches.tagging(List.of(new int[] {4, 5}, new int[] {6, 7, 8}),
                List.of(new int[] {1, 2}, new int[] {0, 0, 3}), PAD);
        assertArrayEquals(new int[][] {{1, 2, IGNORE}, {0, 0, 3}}, b.labels());
        assertArrayEquals(new int[][] {{4, 5, 0}, {6, 7, 8}}, b.tokens());
        var mismatch = assertThrows(IllegalArgumentException.class, () -> Batches.tagging(
                List.of(new int[] {4, 5}), List.<int[]>of(new int[] {1}), PAD));
        assertTrue(mismatch.getMessage().contains("sequence 0 has 2 tokens and 1 tags"), mismatch.getMessage());
    }

    @Test
    void featureSequencesArePaddedWithZeros() {
        SequenceBatch b = Batches.features(List.of(new float[][] {{1, 2}}, new float[][] {{3, 4}, {5, 6}, {7, 8}}));
        assertEquals(Tensor.of(new float[] {1, 2, 0, 0, 0, 0, 3, 4, 5, 6, 7, 8}, 2, 3, 2), b.features());
        assertArrayEquals(new int[] {1, 3}, b.lengths());
        var ragged = assertThrows(IllegalArgumentException.class,
                () -> Batches.features(List.of(new float[][] {{1, 2}}, new float[][] {{3}})));
        assertTrue(ragged.getMessage().contains("sequence 1 step 0 has 1 features, expected 2"), ragged.getMessage());
    }

    @Test
    void selectPicksASamplersBatch() {
        assertEquals(List.of("c", "a"), Batches.select(List.of("a", "b", "c"), new int[] {2, 0}));
        var e = assertThrows(IllegalArgumentException.class, () -> Batches.select(List.of("a"), new int[] {1}));
        assertTrue(e.getMessage().contains("index 1 is outside [0, 1)"), e.getMessage());
    }

    @Test
    void badSequencesAreNamed() {
        var none = assertThrows(IllegalArgumentException.class, () -> Batches.tokens(List.of(), PAD));
        assertTrue(none.getMessage().contains("Batches.tokens: expected at least one sequence"), none.getMessage());
        var empty = assertThrows(IllegalArgumentException.class,
                () -> Batches.tokens(List.of(new int[] {1}, new int[0]), PAD));
        assertTrue(empty.getMessage().contains("sequence 1 has 0 tokens, expected at least 1"), empty.getMessage());
        var single = assertThrows(IllegalArgumentException.class,
                () -> Batches.languageModel(List.<int[]>of(new int[] {2}), PAD));
        assertTrue(single.getMessage().contains("expected at least 2"), single.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> Batches.tokens(List.<int[]>of(new int[] {4, -1}), PAD));
        assertTrue(negative.getMessage().contains("id -1 at step 1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Batches.features(List.of()));
    }
}
