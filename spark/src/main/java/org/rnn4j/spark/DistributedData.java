package org.rnn4j.spark;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;

/**
 * A data set of examples kept in executor memory for training, made by
 * {@link SparkTrainer#distribute}: partition {@code p} holds the examples with the consecutive ids
 * {@code [start(p), start(p + 1))}, in the order of the source RDD. The driver keeps only the
 * number of examples and each example's unrolled length, so the trainer's samplers, validation
 * split and early stopping work on ids ({@link #ids()}) exactly as they work on a local list.
 *
 * <p>Closing it unpersists the cached partitions.
 *
 * @param <E> the example type
 */
public final class DistributedData<E> implements AutoCloseable {

    private final JavaRDD<List<E>> blocks;
    private final int[] starts;
    private final int[] lengths;

    DistributedData(JavaRDD<List<E>> blocks, int[] starts, int[] lengths) {
        this.blocks = blocks;
        this.starts = starts;
        this.lengths = lengths;
    }

    /** Number of examples. */
    public int size() {
        return lengths.length;
    }

    /** Number of partitions, and so of shards every batch is cut into. */
    public int partitions() {
        return starts.length - 1;
    }

    /**
     * Id of the first example of partition {@code p}; {@code start(partitions())} is {@link #size()}.
     *
     * @throws IndexOutOfBoundsException when {@code p} is not in {@code [0, partitions()]}
     */
    public int start(int p) {
        Objects.checkIndex(p, starts.length);
        return starts[p];
    }

    /** The ids {@code 0 .. size() - 1} in order: what to give {@code Trainer.fit} and {@code Trainer.resume}. */
    public List<Integer> ids() {
        return new AbstractList<>() {
            @Override
            public Integer get(int index) {
                return java.util.Objects.checkIndex(index, lengths.length);
            }

            @Override
            public int size() {
                return lengths.length;
            }
        };
    }

    /** The examples of each partition, one list per partition, cached. */
    JavaRDD<List<E>> blocks() {
        return blocks;
    }

    /** The longest unrolled length of the examples with these ids. */
    int unrolledLength(int[] ids) {
        int longest = 1;
        for (int id : ids) {
            longest = Math.max(longest, lengths[id]);
        }
        return longest;
    }

    /**
     * Cuts a batch into shards: per partition, the positions within the partition of its examples
     * in the batch, in batch order.
     *
     * @throws IllegalArgumentException when an id is outside {@code [0, size())}
     */
    int[][] picks(int[] ids) {
        int partitions = partitions();
        int[] counts = new int[partitions];
        int[] owner = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException("SparkTrainer: example id " + id + " is outside [0, " + size()
                        + ") of the distributed data");
            }
            int p = Arrays.binarySearch(starts, id);
            // An id equal to a start belongs to that partition (the last such start: empty partitions share one).
            if (p >= 0) {
                while (p + 1 < partitions && starts[p + 1] == id) {
                    p++;
                }
            } else {
                p = -p - 2;
            }
            owner[i] = p;
            counts[p]++;
        }
        int[][] picks = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            picks[p] = new int[counts[p]];
            counts[p] = 0;
        }
        for (int i = 0; i < ids.length; i++) {
            int p = owner[i];
            picks[p][counts[p]++] = ids[i] - starts[p];
        }
        return picks;
    }

    /** Unpersists the cached partitions. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
