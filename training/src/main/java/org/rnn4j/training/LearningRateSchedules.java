package org.rnn4j.training;

import java.util.Set;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.optim.LearningRateSchedule;
import org.rnn4j.spi.optim.LearningRateScheduleProvider;

/** The built-in learning-rate schedules; each is a pure function of the step, so it resumes exactly. */
public final class LearningRateSchedules {

    private LearningRateSchedules() {
    }

    /** The base rate throughout. */
    @Plugin(name = "constant", description = "The base learning rate throughout")
    public static final class Constant implements LearningRateScheduleProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public Constant() {
        }

        @Override
        public LearningRateSchedule create(Options options) {
            options.requireOnly("learning-rate schedule 'constant'", Set.of());
            return (base, step, epoch) -> base;
        }
    }

    /** {@code base * gamma^floor(i / every)} with {@code i} steps or epochs ({@code per}). */
    @Plugin(name = "step", description = "Multiply by gamma every `every` steps or epochs")
    public static final class StepDecay implements LearningRateScheduleProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public StepDecay() {
        }

        @Override
        public LearningRateSchedule create(Options options) {
            options = options.requireOnly("learning-rate schedule 'step'", Set.of("every", "gamma", "per"));
            int every = options.integer("every", 1000, 1, Integer.MAX_VALUE);
            double gamma = options.number("gamma", 0.1, 0, 1);
            boolean perEpoch = options.choice("per", "step", Set.of("step", "epoch")).equals("epoch");
            return (base, step, epoch) -> base * Math.pow(gamma, Math.floorDiv(perEpoch ? epoch : step, every));
        }
    }

    /** {@code base * gamma^i} with {@code i} steps or epochs ({@code per}). */
    @Plugin(name = "exponential", description = "Multiply by gamma every step or epoch")
    public static final class Exponential implements LearningRateScheduleProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public Exponential() {
        }

        @Override
        public LearningRateSchedule create(Options options) {
            options = options.requireOnly("learning-rate schedule 'exponential'", Set.of("gamma", "per"));
            double gamma = options.number("gamma", 0.999, 0, 1);
            boolean perEpoch = options.choice("per", "step", Set.of("step", "epoch")).equals("epoch");
            return (base, step, epoch) -> base * Math.pow(gamma, perEpoch ? epoch : step);
        }
    }

    /**
     * Linear warm-up over {@code warmup} steps, then cosine annealing to {@code min_factor * base} at
     * step {@code total} (Loshchilov and Hutter 2017); options {@code warmup} (0), {@code total}
     * (required), {@code min_factor} (0).
     */
    @Plugin(name = "cosine", description = "Optional linear warm-up, then cosine decay to min_factor*base at step total")
    public static final class Cosine implements LearningRateScheduleProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public Cosine() {
        }

        @Override
        public LearningRateSchedule create(Options options) {
            options = options.requireOnly("learning-rate schedule 'cosine'", Set.of("warmup", "total", "min_factor"));
            if (!options.has("total")) {
                throw new IllegalArgumentException("learning-rate schedule 'cosine' needs option total (steps, >= 1)");
            }
            int total = options.integer("total", 1, 1, Integer.MAX_VALUE);
            int warmup = options.integer("warmup", 0, 0, total);
            double min = options.number("min_factor", 0, 0, 1);
            return (base, step, epoch) -> {
                if (step < warmup) {
                    return base * (step + 1) / warmup;
                }
                // With no steps left after the warm-up, the rate is at its minimum from there on.
                double progress = total == warmup ? 1.0 : Math.min(1.0, (double) (step - warmup) / (total - warmup));
                return base * (min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            };
        }
    }

    /** Linear warm-up over {@code steps} steps, then the base rate. */
    @Plugin(name = "warmup", description = "Linear warm-up over `steps` steps, then the base rate")
    public static final class Warmup implements LearningRateScheduleProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public Warmup() {
        }

        @Override
        public LearningRateSchedule create(Options options) {
            options = options.requireOnly("learning-rate schedule 'warmup'", Set.of("steps"));
            int steps = options.integer("steps", 1000, 1, Integer.MAX_VALUE);
            return (base, step, epoch) -> step < steps ? base * (step + 1) / steps : base;
        }
    }
}
