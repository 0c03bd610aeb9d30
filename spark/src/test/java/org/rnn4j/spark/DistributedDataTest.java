package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting batches into shards by the partitions' id ranges, without Spark. */
class DistributedDataTest {

    /** Partitions [0, 3), [3, 3) (empty), [3, 7), [7, 8). */
    private final DistributedData<String> data = new DistributedData<>(null, new int[] {0, 3, 3, 7, 8},
            new int[] {1, 4, 2, 9, 1, 1, 3, 5});

    @Test
    void aBatchIsCutIntoShardsInBatchOrder() {
        int[][] picks = data.picks(new int[] {6, 0, 3, 7, 2, 4});
        assertArrayEquals(new int[][] {{0, 2}, {}, {3, 0, 1}, {0}}, picks);
        assertEquals(9, data.unrolledLength(new int[] {5, 3, 0}));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), data.ids());
        assertEquals(4, data.partitions());
        assertEquals(8, data.size());
        assertEquals(7, data.start(3));
    }

    @Test
    void anIdOutsideTheDataIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> data.picks(new int[] {1, 8}));
        assertTrue(e.getMessage().contains("example id 8 is outside [0, 8)"), e.getMessage());
    }
}
