package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rnn4j.spi.training.Trainable;

/** The fixed-order sum of the partitions' gradients, without Spark. */
class ShardSumTest {

    private static final int PARTITIONS = 6;

    /** Gradients spanning 16 orders of magnitude, so that the order of additions shows in the last bits. */
    private static float[] gradient(int partition) {
        Random rng = new Random(partition);
        float[] g = new float[64];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(16) - 8));
        }
        return g;
    }

    private static ShardSum leaf(int p) {
        return ShardSum.leaf(p, gradient(p), new Trainable.Result(0.1 * (p + 1), p + 1, p));
    }

    /** Merges leaves the way treeAggregate might: random groups, combined in a random order. */
    private static ShardSum.Total merged(long seed) {
        Random rng = new Random(seed);
        List<ShardSum> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(leaf(p));
        }
        Collections.shuffle(parts, rng);
        while (parts.size() > 1) {
            ShardSum a = parts.remove(rng.nextInt(parts.size()));
            ShardSum b = parts.remove(rng.nextInt(parts.size()));
            parts.add(rng.nextBoolean() ? a.add(b) : b.add(a));
        }
        return parts.getFirst().total(PARTITIONS);
    }

    @Test
    void everyMergeOrderGivesTheSameBits() {
        ShardSum.Total first = merged(0);
        for (long seed = 1; seed < 200; seed++) {
            ShardSum.Total other = merged(seed);
            assertArrayEquals(first.gradient(), other.gradient(), "merge order " + seed);
            assertEquals(first.result(), other.result(), "merge order " + seed);
        }
        assertEquals(21, first.result().count());
        assertEquals(15, first.result().correct());
        assertEquals((0.1 + 0.4 + 0.9 + 1.6 + 2.5 + 3.6) / 21, first.result().loss(), 1e-12);
        // The bits are those of the documented sum: each partition's float gradient times its item
        // count, in double, added over the fixed tree of partitions ((0 + 1) + (2 + 3)) + (4 + 5).
        assertArrayEquals(treeSum(), first.gradient());
        double[] leftToRight = new double[64];
        for (int p = 0; p < PARTITIONS; p++) {
            float[] g = gradient(p);
            for (int i = 0; i < g.length; i++) {
                leftToRight[i] += (double) g[i] * (p + 1);
            }
        }
        for (int i = 0; i < leftToRight.length; i++) {
            assertEquals(leftToRight[i], first.gradient()[i], 1e-12 * Math.abs(leftToRight[i]), "element " + i);
        }
    }

    /** The count-weighted gradients ({@code count = p + 1}) in double, summed as ShardSum's tree adds them. */
    private static double[] treeSum() {
        double[][] w = new double[PARTITIONS][64];
        for (int p = 0; p < PARTITIONS; p++) {
            float[] g = gradient(p);
            for (int i = 0; i < g.length; i++) {
                w[p][i] = (double) g[i] * (p + 1);
            }
        }
        double[] sum = new double[64];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = ((w[0][i] + w[1][i]) + (w[2][i] + w[3][i])) + (w[4][i] + w[5][i]);
        }
        return sum;
    }

    @Test
    void theTestDataWouldShowADifferentOrder() {
        double[] leftToRight = new double[64];
        double[] rightToLeft = new double[64];
        for (int p = 0; p < PARTITIONS; p++) {
            int q = PARTITIONS - 1 - p;
            float[] g = gradient(p);
            float[] h = gradient(q);
            for (int i = 0; i < g.length; i++) {
                leftToRight[i] += (double) g[i] * (p + 1);
                rightToLeft[i] += (double) h[i] * (q + 1);
            }
        }
        assertFalse(java.util.Arrays.equals(leftToRight, rightToLeft), "the sums should differ in some last bit");
    }

    @Test
    void onePartitionGivesItsOwnGradientBackBitForBit() {
        float[] g = gradient(3);
        Trainable.Result r = new Trainable.Result(0.123456789, 7, 3);
        ShardSum.Total total = new ShardSum().add(ShardSum.leaf(0, g, r)).total(1);
        assertArrayEquals(g, mean(total));
        assertEquals(r, total.result());
    }

    /** What the driver applies: the sum divided by the item count, as floats. */
    private static float[] mean(ShardSum.Total total) {
        float[] mean = new float[total.gradient().length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (total.gradient()[i] / total.result().count());
        }
        return mean;
    }

    @Test
    void aSumSurvivesJavaSerialization() throws Exception {
        ShardSum sum = leaf(0).add(leaf(2));
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(sum);
        }
        ShardSum copy;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ShardSum) in.readObject();
        }
        ShardSum.Total want = sum.add(leaf(1)).total(3);
        ShardSum.Total got = copy.add(leaf(1)).total(3);
        assertArrayEquals(want.gradient(), got.gradient());
        assertEquals(want.result(), got.result());
    }

    @Test
    void partitionsWithoutItemsContributeNothing() {
        ShardSum sum = new ShardSum().add(ShardSum.leaf(0, null, Trainable.Result.of(0, 0)))
                .add(ShardSum.leaf(2, null, Trainable.Result.of(0, 0)));
        ShardSum.Total empty = new ShardSum().add(ShardSum.leaf(0, null, Trainable.Result.of(0, 0))).total(1);
        assertNull(empty.gradient());
        assertEquals(new Trainable.Result(0, 0, 0), empty.result());

        float[] g = gradient(1);
        ShardSum.Total one = sum.add(ShardSum.leaf(1, g, Trainable.Result.of(0.5, 4))).total(3);
        assertArrayEquals(g, mean(one));
        assertEquals(Trainable.Result.of(0.5, 4), one.result());
    }

    @Test
    void aMissingPartitionIsNamed() {
        ShardSum sum = leaf(0).add(leaf(1)).add(leaf(3));
        var e = assertThrows(IllegalStateException.class, () -> sum.total(4));
        assertTrue(e.getMessage().contains("partitions [0, 4)") && e.getMessage().contains("[0, 3]"), e.getMessage());
    }
}
