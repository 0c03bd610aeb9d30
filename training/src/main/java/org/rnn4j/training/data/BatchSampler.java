package org.rnn4j.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a data set into the mini-batches of one epoch. A sampler is a pure function of the data
 * set size and the epoch number, so that a run resumed from a checkpoint in the middle of an epoch
 * sees the same batches in the same order as an uninterrupted one.
 */
public interface BatchSampler {

    /**
     * The mini-batches of epoch {@code epoch}, as lists of indexes into the data set; every index
     * in {@code [0, size)} appears exactly once.
     *
     * @throws IllegalArgumentException when {@code size < 1} or {@code epoch < 0}
     */
    List<int[]> batches(int size, int epoch);

    /** Batches of {@code batchSize} in data set order; the last one may be smaller. */
    static BatchSampler sequential(int batchSize) {
        requireBatchSize(batchSize);
        return (size, epoch) -> {
            requireSizeAndEpoch(size, epoch);
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            return split(order, batchSize);
        };
    }

    /**
     * Batches of {@code batchSize} from a fresh permutation each epoch, drawn from {@code seed} and
     * the epoch number (Fisher-Yates); the last batch may be smaller.
     */
    static BatchSampler shuffled(int batchSize, long seed) {
        requireBatchSize(batchSize);
        return (size, epoch) -> {
            requireSizeAndEpoch(size, epoch);
            return split(permutation(size, epochSeed(seed, epoch)), batchSize);
        };
    }

    /**
     * Batches of similar lengths, so that little of each batch is padding, while the batches still
     * differ from epoch to epoch: a fresh permutation (drawn from {@code seed} and the epoch) is cut
     * into pools of 50 batches, each pool is sorted by length and cut into batches, and the order of
     * all batches is shuffled. Only the last batch of the last pool may be smaller.
     *
     * @param lengths the length of each sequence of the data set, in data set order (copied)
     * @throws IllegalArgumentException when {@code batchSize < 1} or a length is negative; and from
     *                                  {@link #batches} when its size is not {@code lengths.length}
     */
    static BatchSampler bucketed(int batchSize, int[] lengths, long seed) {
        return bucketed(batchSize, lengths, 50, seed);
    }

    /**
     * As {@link #bucketed(int, int[], long)} with pools of {@code poolBatches} batches: larger pools
     * pad less, smaller ones mix sequences of different lengths more.
     *
     * @throws IllegalArgumentException also when {@code poolBatches < 1}
     */
    static BatchSampler bucketed(int batchSize, int[] lengths, int poolBatches, long seed) {
        requireBatchSize(batchSize);
        if (poolBatches < 1) {
            throw new IllegalArgumentException("batch sampler: batches per pool must be >= 1, given " + poolBatches);
        }
        int[] len = lengths.clone();
        for (int i = 0; i < len.length; i++) {
            if (len[i] < 0) {
                throw new IllegalArgumentException("batch sampler: length " + i + " is " + len[i] + ", expected >= 0");
            }
        }
        int pool = (int) Math.min(Integer.MAX_VALUE, (long) batchSize * poolBatches);
        return (size, epoch) -> {
            requireSizeAndEpoch(size, epoch);
            if (size != len.length) {
                throw new IllegalArgumentException("batch sampler: bucketing was given " + len.length
                        + " lengths, the data set has " + size + " sequences");
            }
            SplittableRandom rng = new SplittableRandom(epochSeed(seed, epoch));
            int[] order = permutation(size, rng.nextLong());
            List<int[]> batches = new ArrayList<>();
            for (int from = 0; from < size; from += pool) {
                int to = (int) Math.min(size, (long) from + pool);
                // Sorts by (length, position in the permutation): stable, so equal lengths stay shuffled.
                long[] keys = new long[to - from];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = (long) len[order[from + k]] << 32 | k;
                }
                Arrays.sort(keys);
                int[] sorted = new int[keys.length];
                for (int k = 0; k < keys.length; k++) {
                    sorted[k] = order[from + (int) keys[k]];
                }
                batches.addAll(split(sorted, batchSize));
            }
            List<int[]> shuffled = new ArrayList<>(batches.size());
            for (int b : permutation(batches.size(), rng.nextLong())) {
                shuffled.add(batches.get(b));
            }
            return shuffled;
        };
    }

    private static long epochSeed(long seed, int epoch) {
        return new SplittableRandom(seed).split().nextLong() ^ epoch * 0x9E3779B97F4A7C15L;
    }

    /**
     * A permutation of {@code [0, size)} drawn from {@code seed} by Fisher-Yates: the order the
     * samplers shuffle by, for callers that split or subsample data the same reproducible way.
     *
     * @throws IllegalArgumentException when {@code size} is negative
     */
    static int[] permutation(int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("permutation: size must be >= 0, given " + size);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Cuts {@code order} into consecutive batches of {@code batchSize}; the last one may be smaller. */
    private static List<int[]> split(int[] order, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            batches.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
        }
        return batches;
    }

    private static void requireBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch sampler: batch size must be >= 1, given " + batchSize);
        }
    }

    private static void requireSizeAndEpoch(int size, int epoch) {
        if (size < 1) {
            throw new IllegalArgumentException("batch sampler: the data set must hold at least one item, given " + size);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("batch sampler: epoch must be >= 0, given " + epoch);
        }
    }
}
