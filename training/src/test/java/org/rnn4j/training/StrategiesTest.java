package org.rnn4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.optim.LearningRateSchedule;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.UnrollingStrategy.Window;

class StrategiesTest {

    @Test
    void unrollingWindowsCoverEveryStepOnce() {
        assertEquals(List.of(new Window(0, 0, 10)), new FullBptt().create(Options.empty()).windows(10));
        // The last, shorter window still back-propagates through k2 = 4 steps.
        assertEquals(List.of(new Window(0, 0, 4), new Window(4, 4, 8), new Window(6, 8, 10)),
                new TruncatedBptt().create(Options.of("k1", "4")).windows(10));
        // k1 = 3 steps of loss per update, back-propagated through k2 = 5 steps.
        assertEquals(List.of(new Window(0, 0, 3), new Window(1, 3, 6), new Window(4, 6, 9), new Window(5, 9, 10)),
                new TruncatedBptt().create(Options.of("k1", "3", "k2", "5")).windows(10));
        assertEquals(List.of(new Window(0, 0, 7)), new TruncatedBptt().create(Options.of("k1", "7")).windows(7));
        assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt().create(Options.empty()));
        assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt().create(Options.of("k1", "5", "k2", "2")));
        assertThrows(IllegalArgumentException.class, () -> new FullBptt().create(Options.empty()).windows(0));
    }

    @Test
    void decoderPoliciesScheduleTheGroundTruth() {
        DecoderInputPolicy teacher = new DecoderPolicies.TeacherForcing().create(Options.empty());
        DecoderInputPolicy free = new DecoderPolicies.FreeRunning().create(Options.empty());
        assertTrue(teacher.useGroundTruth(1, 99, 0, 3, 2));
        assertTrue(!free.useGroundTruth(1, 0, 0, 0, 0));
        DecoderInputPolicy linear = new DecoderPolicies.ScheduledSampling()
                .create(Options.of("schedule", "linear", "slope", "0.01", "min", "0.2"));
        assertEquals(1.0, linear.groundTruthProbability(0, 0), 1e-12);
        assertEquals(0.5, linear.groundTruthProbability(50, 0), 1e-12);
        assertEquals(0.2, linear.groundTruthProbability(500, 0), 1e-12);
        DecoderInputPolicy sigmoid = new DecoderPolicies.ScheduledSampling().create(Options.of("k", "10", "per", "epoch"));
        assertTrue(sigmoid.groundTruthProbability(0, 0) > sigmoid.groundTruthProbability(0, 30));
        // Decisions are seeded, drawn per time step, and follow the probability.
        DecoderInputPolicy half = new DecoderPolicies.ScheduledSampling()
                .create(Options.of("schedule", "linear", "slope", "0.5"));
        int truths = 0;
        for (int t = 0; t < 10_000; t++) {
            boolean a = half.useGroundTruth(7, 1, 0, t, 0);
            assertEquals(a, half.useGroundTruth(7, 1, 0, t, 0), "same seed and position, same decision");
            truths += a ? 1 : 0;
        }
        assertEquals(5000, truths, 200);
        assertThrows(IllegalArgumentException.class, () -> new DecoderPolicies.ScheduledSampling()
                .create(Options.of("schedule", "cubic")));
        var foreign = assertThrows(IllegalArgumentException.class, () -> new DecoderPolicies.ScheduledSampling()
                .create(Options.of("schedule", "linear", "k", "0.9")));
        assertTrue(foreign.getMessage().contains("option k does not apply to schedule linear"), foreign.getMessage());
        var never = assertThrows(IllegalArgumentException.class, () -> new DecoderPolicies.ScheduledSampling()
                .create(Options.of("schedule", "exponential", "k", "1")));
        assertTrue(never.getMessage().contains("must be in (0, 1), given 1.0"), never.getMessage());
    }

    @Test
    void learningRateSchedules() {
        LearningRateSchedule step = new LearningRateSchedules.StepDecay().create(Options.of("every", "10", "gamma", "0.5"));
        assertEquals(1.0, step.rate(1, 9, 0), 1e-12);
        assertEquals(0.25, step.rate(1, 25, 0), 1e-12);
        LearningRateSchedule cosine = new LearningRateSchedules.Cosine().create(Options.of("warmup", "10", "total", "110"));
        assertEquals(0.1, cosine.rate(1, 0, 0), 1e-12);
        assertEquals(1.0, cosine.rate(1, 10, 0), 1e-12);
        assertEquals(0.5, cosine.rate(1, 60, 0), 1e-12);
        assertEquals(0.0, cosine.rate(1, 110, 0), 1e-12);
        assertEquals(0.81, new LearningRateSchedules.Exponential().create(Options.of("gamma", "0.9")).rate(1, 2, 0), 1e-12);
        assertEquals(0.5, new LearningRateSchedules.Warmup().create(Options.of("steps", "4")).rate(1, 1, 0), 1e-12);
        assertEquals(3.0, new LearningRateSchedules.Constant().create(Options.empty()).rate(3, 1000, 9), 0);
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedules.Cosine().create(Options.empty()));
    }
}
