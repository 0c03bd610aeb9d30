package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.training.data.ChronologicalSplit;
import org.rnn4j.training.data.Normalizer;
import org.rnn4j.training.data.Normalizer.Method;

class NormalizerTest {

    /** A rising series: the later validation and test parts hold values above everything in training. */
    private static final float[] SERIES = {112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 300, 320, 340, 360};

    @Test
    void minMaxIsFittedOnTheTrainingPartOnly() {
        ChronologicalSplit split = ChronologicalSplit.byCount(SERIES.length, 2, 2);
        Normalizer n = Method.MIN_MAX.fit(split.train(SERIES));
        assertEquals(104, n.center(), 0);
        assertEquals(44, n.scale(), 0);
        float[] scaled = n.transform(SERIES);
        float[] train = split.train(scaled);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : train) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, min, 0);
        assertEquals(1, max, 1e-6);
        // The later parts are not squeezed into [0, 1]: the fit never saw them.
        for (float v : split.validation(scaled)) {
            assertTrue(v > 4, "validation value " + v);
        }
        assertEquals((360 - 104) / 44f, split.test(scaled)[1], 1e-5);
    }

    @Test
    void zScoreUsesTheTrainingMeanAndPopulationStandardDeviation() {
        Normalizer n = Method.Z_SCORE.fit(new float[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(5, n.center(), 1e-12);
        assertEquals(2, n.scale(), 1e-12);
        assertArrayEquals(new float[] {-1.5f, 0, 2.5f}, n.transform(new float[] {2, 5, 10}));
        assertEquals(Method.Z_SCORE, n.method());
    }

    @Test
    void inverseUndoesTransformAndTheTwoNumbersRebuildIt() {
        Normalizer fitted = Method.Z_SCORE.fit(SERIES);
        float[] back = fitted.inverse(fitted.transform(SERIES));
        assertArrayEquals(SERIES, back, 1e-4f);
        // What a model description stores is enough to read predictions back in original units.
        Normalizer rebuilt = new Normalizer(fitted.method(), fitted.center(), fitted.scale());
        float[] scaled = rebuilt.transform(SERIES);
        float[] predictions = {-1.5f, 0f, 0.25f, 2f};
        float[] original = rebuilt.inverse(predictions);
        for (int i = 0; i < SERIES.length; i++) {
            assertEquals((SERIES[i] - fitted.center()) / fitted.scale(), scaled[i], 1e-6, "(x - center) / scale at " + i);
        }
        for (int i = 0; i < predictions.length; i++) {
            assertEquals(predictions[i] * fitted.scale() + fitted.center(), original[i], 1e-4, "x * scale + center at " + i);
        }
        assertEquals(fitted, rebuilt);
    }

    /** A normalizer built from two stored numbers rescales by them, whichever method it names. */
    @Test
    void aNormalizerBuiltFromItsNumbersRescalesByThem() {
        for (Method method : Method.values()) {
            Normalizer n = new Normalizer(method, 10, 4);
            assertArrayEquals(new float[] {-2, 0, 0.5f, 2, -0.75f}, n.transform(new float[] {2, 10, 12, 18, 7}));
            assertArrayEquals(new float[] {2, 10, 12, 18, 7}, n.inverse(new float[] {-2, 0, 0.5f, 2, -0.75f}));
        }
        // Numbers that are not round in binary: (x - 0.1) / 3 against double arithmetic.
        Normalizer odd = new Normalizer(Method.Z_SCORE, 0.1, 3);
        float[] x = {1, -2.5f, 1e4f, 0.1f};
        float[] y = odd.transform(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals((float) ((x[i] - 0.1) / 3), y[i], "element " + i);
        }
    }

    @Test
    void aConstantTrainingPartIsOnlyShifted() {
        Normalizer n = Method.MIN_MAX.fit(new float[] {3, 3, 3});
        assertEquals(1, n.scale(), 0);
        assertArrayEquals(new float[] {0, 2}, n.transform(new float[] {3, 5}));
    }

    @Test
    void badInputsAreNamed() {
        var empty = assertThrows(IllegalArgumentException.class, () -> Method.MIN_MAX.fit(new float[0]));
        assertTrue(empty.getMessage().contains("Normalizer.fit: the training part is empty"), empty.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> Method.Z_SCORE.fit(new float[] {1, Float.NaN}));
        assertTrue(nan.getMessage().contains("NaN at index 1"), nan.getMessage());
        var scale = assertThrows(IllegalArgumentException.class, () -> new Normalizer(Method.Z_SCORE, 0, 0));
        assertTrue(scale.getMessage().contains("scale 0.0"), scale.getMessage());
    }
}
