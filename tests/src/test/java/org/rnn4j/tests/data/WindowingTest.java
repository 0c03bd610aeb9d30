package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Tensor;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.ChronologicalSplit;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Windowing;
import org.rnn4j.training.data.Windowing.Window;

class WindowingTest {

    /** A series whose value at step t is t, so every value says where it came from. */
    private static float[] steps(int n) {
        float[] s = new float[n];
        for (int t = 0; t < n; t++) {
            s[t] = t;
        }
        return s;
    }

    @Test
    void univariateWindowsAreInputStepsFollowedByTheHorizon() {
        List<Window> windows = Windowing.windows(steps(10), 3, 2, 2);
        // Starts 0, 2, 4; a window from 6 would need steps up to 10.
        assertEquals(3, windows.size());
        Window w = windows.get(1);
        assertArrayEquals(new float[][] {{2}, {3}, {4}}, w.input());
        assertArrayEquals(new float[][] {{5}, {6}}, w.target());
        assertArrayEquals(new float[][] {{7}, {8}}, windows.get(2).target());
    }

    @Test
    void multivariateWindowsPredictEveryFeatureOrOneColumn() {
        float[][] series = Windowing.stack(steps(6), new float[] {10, 11, 12, 13, 14, 15});
        assertArrayEquals(new float[] {2, 12}, series[2]);
        Window all = Windowing.windows(series, 2, 1, 1).get(3);
        assertArrayEquals(new float[][] {{3, 13}, {4, 14}}, all.input());
        assertArrayEquals(new float[][] {{5, 15}}, all.target());
        Window one = Windowing.windows(series, 2, 2, 1, 1).get(0);
        assertArrayEquals(new float[][] {{0, 10}, {1, 11}}, one.input());
        assertArrayEquals(new float[][] {{12}, {13}}, one.target());
        // Windows own their arrays: changing one leaves the series alone.
        one.input()[0][0] = 99;
        assertEquals(0, series[0][0]);
    }

    @Test
    void windowsBatchAsSequenceToValue() {
        float[][] series = Windowing.stack(steps(8), new float[] {10, 11, 12, 13, 14, 15, 16, 17});
        List<Window> windows = Windowing.windows(series, 3, 2, 1);
        SequenceBatch batch = Windowing.batch(Batches.select(windows, new int[] {2, 0}));
        assertArrayEquals(new int[] {2, 3, 2}, batch.features().shape());
        assertArrayEquals(new int[] {2, 4}, batch.targets().shape());
        assertEquals(3, batch.features().get(0, 1, 0));
        assertEquals(14, batch.features().get(0, 2, 1));
        assertEquals(Tensor.of(new float[] {5, 15, 6, 16, 3, 13, 4, 14}, 2, 4), batch.targets());
        assertNull(batch.lengths());
        assertNull(batch.tokens());
    }

    @Test
    void badWindowArgumentsAreNamed() {
        var shortSeries = assertThrows(IllegalArgumentException.class, () -> Windowing.windows(steps(4), 3, 2, 1));
        assertTrue(shortSeries.getMessage().contains("series of 4 steps is too short"), shortSeries.getMessage());
        var horizon = assertThrows(IllegalArgumentException.class, () -> Windowing.windows(steps(9), 3, 0, 1));
        assertTrue(horizon.getMessage().contains("given 3, 0, 1"), horizon.getMessage());
        var column = assertThrows(IllegalArgumentException.class,
                () -> Windowing.windows(Windowing.stack(steps(9), steps(9)), 3, 1, 1, 2));
        assertTrue(column.getMessage().contains("target column must be in [0, 2), given 2"), column.getMessage());
        float[] gap = steps(9);
        gap[5] = Float.NaN;
        var nan = assertThrows(IllegalArgumentException.class, () -> Windowing.windows(gap, 3, 1, 1));
        assertTrue(nan.getMessage().contains("NaN at step 5"), nan.getMessage());
        var ragged = assertThrows(IllegalArgumentException.class,
                () -> Windowing.windows(new float[][] {{1, 2}, {3}}, 1, 1, 1));
        assertTrue(ragged.getMessage().contains("step 1 has 1 features, step 0 has 2"), ragged.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class, () -> Windowing.batch(List.of(
                Windowing.windows(steps(5), 2, 1, 1).get(0), Windowing.windows(steps(5), 3, 1, 1).get(0))));
        assertTrue(mixed.getMessage().contains("window 1 input has 3 steps, window 0's has 2"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Windowing.stack(steps(3), steps(4)));
    }

    @Test
    void splitsAreConsecutiveWithTestLast() {
        ChronologicalSplit split = ChronologicalSplit.byFraction(100, 0.15, 0.1);
        assertEquals(new ChronologicalSplit(75, 15, 10), split);
        float[] series = steps(100);
        assertArrayEquals(steps(75), split.train(series));
        assertEquals(75, split.validation(series)[0]);
        assertEquals(89, split.validation(series)[14]);
        assertEquals(90, split.test(series)[0]);
        assertEquals(10, split.test(series).length);
        assertEquals(new ChronologicalSplit(130, 12, 2), ChronologicalSplit.byCount(144, 12, 2));
        assertEquals(0, ChronologicalSplit.byCount(10, 0, 0).validation(steps(10)).length);

        var none = assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.byCount(10, 5, 5));
        assertTrue(none.getMessage().contains("10 steps leave none for training"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.byFraction(10, 1.0, 0));
        var size = assertThrows(IllegalArgumentException.class, () -> split.test(steps(99)));
        assertTrue(size.getMessage().contains("expected a series of 100 steps, given 99"), size.getMessage());
    }

    /** Windows cut from each part never reach into another part, for any split and window shape. */
    @Property(tries = 300)
    void windowsNeverCrossASplitBoundary(@ForAll @IntRange(min = 20, max = 400) int n,
                                         @ForAll @DoubleRange(min = 0, max = 0.3) double validation,
                                         @ForAll @DoubleRange(min = 0, max = 0.3) double test,
                                         @ForAll @IntRange(min = 1, max = 6) int length,
                                         @ForAll @IntRange(min = 1, max = 3) int horizon,
                                         @ForAll @IntRange(min = 1, max = 4) int stride) {
        ChronologicalSplit split = ChronologicalSplit.byFraction(n, validation, test);
        float[][] series = Windowing.stack(steps(n), steps(n));
        assertEquals(n, split.train(series).length + split.validation(series).length + split.test(series).length);
        int[] bounds = {0, split.trainSize(), split.trainSize() + split.validationSize(), n};
        List<float[][]> parts = List.of(split.train(series), split.validation(series), split.test(series));
        for (int p = 0; p < 3; p++) {
            if (parts.get(p).length < length + horizon) {
                continue;
            }
            for (Window w : Windowing.windows(parts.get(p), length, horizon, stride, 0)) {
                for (float[][] rows : List.of(w.input(), w.target())) {
                    for (float[] row : rows) {
                        assertTrue(row[0] >= bounds[p] && row[0] < bounds[p + 1],
                                "step " + row[0] + " in part " + p + " [" + bounds[p] + ", " + bounds[p + 1] + ")");
                    }
                }
                // Input and target stay consecutive within the part.
                assertEquals(w.input()[length - 1][0] + 1, w.target()[0][0]);
            }
        }
    }
}
