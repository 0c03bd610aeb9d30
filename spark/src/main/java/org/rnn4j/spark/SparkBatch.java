package org.rnn4j.spark;

import java.util.List;

/**
 * One mini-batch as the trainer sees it on the driver: the ids of its examples, in batch order.
 * The examples themselves stay on the executors, in the partitions of a {@link DistributedData}.
 *
 * @param ids ids in {@code [0, size)} of the distributed data
 */
public record SparkBatch(int[] ids) {

    /** The batch of the examples with these ids, in this order; the trainer's collate function. */
    public static SparkBatch of(List<Integer> ids) {
        return new SparkBatch(ids.stream().mapToInt(Integer::intValue).toArray());
    }
}
