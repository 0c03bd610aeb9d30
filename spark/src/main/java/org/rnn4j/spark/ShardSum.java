package org.rnn4j.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.spi.training.Trainable;

/**
 * The sum of the partitions' gradients and results over a fixed binary tree of partition indexes,
 * whatever order Spark combines them in. Floating-point addition is not associative, and
 * {@code treeAggregate} merges partial results in the order tasks finish; so a block of partitions
 * {@code [k 2^j, (k + 1) 2^j)} is only ever formed as its left half plus its right half, and the
 * blocks left at the end (when the partition count is not a power of two) are added left to right.
 * Every merge order gives the same bits.
 *
 * <p>A partition sends its mean gradient as floats (half the bytes of doubles); sums are formed
 * in double as {@code count * gradient}, a float times an item count being exact in double, so
 * with one partition the batch mean is that partition's float gradient, bit for bit.
 */
final class ShardSum implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Blocks held, by their first partition; they never overlap. */
    private final TreeMap<Long, Block> blocks = new TreeMap<>();

    /** The sum of nothing: the start of an aggregation. */
    ShardSum() {
    }

    /**
     * One partition's contribution.
     *
     * @param gradient the partition's mean gradient over its items, or null when it has no items
     */
    static ShardSum leaf(int partition, float[] gradient, Trainable.Result result) {
        ShardSum sum = new ShardSum();
        sum.blocks.put((long) partition, new Block(0, partition, gradient, null, result.loss(), result.count(),
                result.count() == 0 ? 0 : result.correct(), 1));
        return sum;
    }

    /** Adds {@code other}'s blocks to this one, combining siblings as they meet; returns this. */
    ShardSum add(ShardSum other) {
        for (Block block : other.blocks.values()) {
            insert(block);
        }
        return this;
    }

    private void insert(Block block) {
        Block b = block;
        while (true) {
            long siblingStart = (long) (b.index ^ 1) << b.level;
            Block sibling = blocks.get(siblingStart);
            if (sibling == null || sibling.level != b.level) {
                blocks.put((long) b.index << b.level, b);
                return;
            }
            blocks.remove(siblingStart);
            b = (b.index & 1) == 0 ? Block.combine(b, sibling) : Block.combine(sibling, b);
        }
    }

    /**
     * The total over all partitions.
     *
     * @throws IllegalStateException when the blocks do not cover exactly {@code partitions} partitions
     */
    Total total(int partitions) {
        Block acc = null;
        int covered = 0;
        for (Map.Entry<Long, Block> e : blocks.entrySet()) {
            Block b = e.getValue();
            if (e.getKey() != covered) {
                break;
            }
            covered += b.leaves;
            acc = acc == null ? b : Block.combine(acc, b);
        }
        if (acc == null || covered != partitions) {
            throw new IllegalStateException("ShardSum: expected the results of partitions [0, " + partitions
                    + "), given blocks starting at " + blocks.keySet());
        }
        return new Total(acc.sum(), new Trainable.Result(acc.count == 0 ? 0 : acc.loss, acc.count, acc.correct));
    }

    /**
     * The aggregated result.
     *
     * @param gradient the sum of every partition's item count times its mean gradient, or null when no item
     * @param result   loss (mean over all items), items and correct items of the whole batch
     */
    record Total(double[] gradient, Trainable.Result result) {
    }

    /** A block of {@code 2^level} consecutive partitions starting at {@code index * 2^level}, or fewer at the end. */
    private static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;

        final int level;
        final int index;
        /** A leaf's mean gradient, or null. */
        final float[] mean;
        /** A combined block's sum of count times mean gradient, or null. */
        final double[] sum;
        final double loss;
        final long count;
        final long correct;
        final int leaves;

        Block(int level, int index, float[] mean, double[] sum, double loss, long count, long correct, int leaves) {
            this.level = level;
            this.index = index;
            this.mean = mean;
            this.sum = sum;
            this.loss = loss;
            this.count = count;
            this.correct = correct;
            this.leaves = leaves;
        }

        /** The sum of count times mean gradient over the block, or null when it has no items. */
        double[] sum() {
            if (mean == null) {
                return sum;
            }
            double[] weighted = new double[mean.length];
            for (int i = 0; i < weighted.length; i++) {
                weighted[i] = (double) mean[i] * count;
            }
            return weighted;
        }

        /**
         * {@code left} then {@code right}: their parent when they are siblings, else a run of blocks
         * (only at the very end). A side without items contributes nothing, so one partition's
         * values pass through unchanged.
         */
        static Block combine(Block left, Block right) {
            double[] l = left.sum();
            double[] r = right.sum();
            double[] gradient;
            if (l == null || r == null) {
                gradient = l == null ? r : l;
            } else {
                gradient = left.mean != null ? l : l.clone();
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] += r[i];
                }
            }
            long count = left.count + right.count;
            double loss = left.count == 0 ? right.loss : right.count == 0 ? left.loss
                    : (left.loss * left.count + right.loss * right.count) / count;
            long correct = left.count == 0 ? right.correct : right.count == 0 ? left.correct
                    : left.correct < 0 || right.correct < 0 ? -1 : left.correct + right.correct;
            return new Block(left.level + 1, left.index >> 1, null, gradient, loss, count, correct, left.leaves + right.leaves);
        }
    }
}
