package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rnn4j.training.data.BatchSampler;

class BatchSamplerTest {

    /** Lengths with a long tail, as sentences have: most short, a few very long. */
    private static int[] skewedLengths(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = 1 + (int) Math.min(400, Math.exp(rng.nextGaussian(2.5, 1.0)));
        }
        return lengths;
    }

    /** Padded steps computed for nothing: each batch runs to its longest sequence. */
    private static long paddingWaste(List<int[]> batches, int[] lengths) {
        long waste = 0;
        for (int[] batch : batches) {
            int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
            for (int i : batch) {
                waste += max - lengths[i];
            }
        }
        return waste;
    }

    private static void assertEachIndexOnce(List<int[]> batches, int size) {
        int[] seen = new int[size];
        for (int[] batch : batches) {
            for (int i : batch) {
                seen[i]++;
            }
        }
        for (int i = 0; i < size; i++) {
            assertEquals(1, seen[i], "index " + i);
        }
    }

    @Property(tries = 200)
    void everySamplerCoversEachIndexExactlyOnce(@ForAll @IntRange(min = 1, max = 500) int size,
                                                @ForAll @IntRange(min = 1, max = 40) int batchSize,
                                                @ForAll @IntRange(min = 1, max = 8) int poolBatches,
                                                @ForAll @IntRange(min = 0, max = 1000) int epoch,
                                                @ForAll long seed) {
        int[] lengths = skewedLengths(size, seed);
        for (BatchSampler sampler : List.of(BatchSampler.sequential(batchSize), BatchSampler.shuffled(batchSize, seed),
                BatchSampler.bucketed(batchSize, lengths, seed), BatchSampler.bucketed(batchSize, lengths, poolBatches, seed))) {
            List<int[]> batches = sampler.batches(size, epoch);
            assertEachIndexOnce(batches, size);
            assertEquals((size + batchSize - 1) / batchSize, batches.size());
            assertTrue(batches.stream().filter(b -> b.length != batchSize).count() <= 1, "at most one smaller batch");
        }
    }

    @Test
    void bucketingPadsFarLessThanShuffling() {
        int[] lengths = skewedLengths(5000, 11);
        long shuffled = paddingWaste(BatchSampler.shuffled(32, 3).batches(lengths.length, 0), lengths);
        long bucketed = paddingWaste(BatchSampler.bucketed(32, lengths, 3).batches(lengths.length, 0), lengths);
        assertTrue(bucketed * 10 < shuffled, "bucketed waste " + bucketed + ", shuffled waste " + shuffled);
    }

    @Test
    void withOnePoolTheBatchesHoldConsecutiveLengths() {
        int[] lengths = skewedLengths(300, 5);
        List<int[]> batches = BatchSampler.bucketed(10, lengths, 1000, 8).batches(lengths.length, 2);
        List<int[]> byLength = batches.stream()
                .map(b -> Arrays.stream(b).map(i -> lengths[i]).sorted().toArray())
                .sorted(Comparator.<int[]>comparingInt(b -> b[0]).thenComparingInt(b -> b[b.length - 1]))
                .toList();
        for (int k = 1; k < byLength.size(); k++) {
            int[] prev = byLength.get(k - 1);
            assertTrue(prev[prev.length - 1] <= byLength.get(k)[0], "batch ranges overlap at " + k);
        }
        // The batch order is still shuffled, not shortest first.
        assertNotEquals(byLength.stream().map(b -> b[0]).toList(),
                batches.stream().map(b -> Arrays.stream(b).map(i -> lengths[i]).min().orElseThrow()).toList());
    }

    @Test
    void bucketingIsAPureFunctionOfSeedAndEpoch() {
        int[] lengths = skewedLengths(1000, 1);
        BatchSampler sampler = BatchSampler.bucketed(16, lengths, 42);
        List<int[]> epoch3 = sampler.batches(lengths.length, 3);
        assertBatchesEqual(epoch3, sampler.batches(lengths.length, 3));
        assertBatchesEqual(epoch3, BatchSampler.bucketed(16, lengths.clone(), 42).batches(lengths.length, 3));
        assertFalse(sameBatches(epoch3, sampler.batches(lengths.length, 4)), "a new epoch gives new batches");
        assertFalse(sameBatches(epoch3, BatchSampler.bucketed(16, lengths, 43).batches(lengths.length, 3)),
                "a new seed gives new batches");
        // The lengths are copied: changing the caller's array later changes nothing.
        int[] mine = lengths.clone();
        BatchSampler copied = BatchSampler.bucketed(16, mine, 42);
        Arrays.fill(mine, 1);
        assertBatchesEqual(epoch3, copied.batches(lengths.length, 3));
    }

    @Test
    void bucketingChecksItsArguments() {
        var size = assertThrows(IllegalArgumentException.class,
                () -> BatchSampler.bucketed(4, new int[] {1, 2, 3}, 0).batches(4, 0));
        assertTrue(size.getMessage().contains("given 3 lengths, the data set has 4"), size.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> BatchSampler.bucketed(4, new int[] {1, -2}, 0));
        assertTrue(negative.getMessage().contains("length 1 is -2"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchSampler.bucketed(0, new int[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchSampler.bucketed(4, new int[] {1}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchSampler.bucketed(4, new int[] {1}, 0).batches(1, -1));
    }

    private static boolean sameBatches(List<int[]> a, List<int[]> b) {
        return a.size() == b.size() && IntStream.range(0, a.size()).allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
    }

    private static void assertBatchesEqual(List<int[]> expected, List<int[]> actual) {
        assertTrue(sameBatches(expected, actual), "the same batches in the same order");
    }
}
