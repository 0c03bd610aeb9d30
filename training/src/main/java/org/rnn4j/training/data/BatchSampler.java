package org.rnn4j.training.data;

import java.util.ArrayList;
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
            return split(permutation(size, new SplittableRandom(seed).split().nextLong() ^ epoch * 0x9E3779B97F4A7C15L), batchSize);
        };
    }

    /** A permutation of {@code [0, size)} drawn from {@code seed} by Fisher-Yates. */
    static int[] permutation(int size, long seed) {
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
    static List<int[]> split(int[] order, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            batches.add(java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
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
            throw new IllegalArgumentException("batch sampler: the data set is empty");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("batch sampler: epoch must be >= 0, given " + epoch);
        }
    }
}
