package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.training.GradientTransform;

class ClippingTest {

    private static Parameter withGrad(String name, float... g) {
        Parameter p = Parameter.zeros(name, g.length);
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
        return p;
    }

    @Test
    void globalNormScalesEveryGradientByOneFactor() {
        Parameter a = withGrad("a", 3f, 0f);
        Parameter b = withGrad("b", 0f, 4f);
        GradientTransform.GradientReport r = new ClipNorm().create(Options.of("max_norm", "1")).apply(List.of(a, b));
        assertEquals(5.0, r.normBefore(), 1e-6);
        assertEquals(1.0, r.normAfter(), 1e-6);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0.8f}, b.grad().data(), 1e-6f);
    }

    @Test
    void belowTheThresholdNothingChanges() {
        Parameter a = withGrad("a", 0.3f, 0.4f);
        var r = new ClipNorm().create(Options.of("max_norm", "1")).apply(List.of(a));
        assertEquals(0.5, r.normBefore(), 1e-6);
        assertEquals(0.5, r.normAfter(), 1e-6);
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.grad().data());
    }

    @Test
    void perParameterNormClipsEachOnItsOwn() {
        Parameter a = withGrad("a", 3f, 4f);
        Parameter b = withGrad("b", 0.1f, 0f);
        new ClipNorm().create(Options.of("max_norm", "1", "per_parameter", "true")).apply(List.of(a, b));
        assertArrayEquals(new float[] {0.6f, 0.8f}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0.1f, 0f}, b.grad().data());
    }

    @Test
    void clipValueClampsElements() {
        Parameter a = withGrad("a", 5f, -5f, 0.5f, Float.NaN);
        new ClipValue().create(Options.of("max_value", "1")).apply(List.of(a));
        assertArrayEquals(new float[] {1f, -1f, 0.5f, Float.NaN}, a.grad().data());
    }

    @Test
    void thresholdsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ClipNorm().create(Options.empty()));
        var norm = assertThrows(IllegalArgumentException.class, () -> new ClipNorm().create(Options.of("max_norm", "-1")));
        assertEquals("gradient transform 'clip-norm': option max_norm must be > 0, given -1", norm.getMessage());
        var infinite = assertThrows(IllegalArgumentException.class,
                () -> new ClipNorm().create(Options.of("max_norm", "Infinity")));
        assertEquals("gradient transform 'clip-norm': option max_norm must be a finite number, given 'Infinity'",
                infinite.getMessage());
        var value = assertThrows(IllegalArgumentException.class, () -> new ClipValue().create(Options.of("max_value", "0")));
        assertEquals("gradient transform 'clip-value': option max_value must be in (0, 3.4028235E38], given 0",
                value.getMessage());
    }
}
