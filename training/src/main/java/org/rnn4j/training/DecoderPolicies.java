package org.rnn4j.training;

import java.util.Set;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Plugin;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.DecoderInputPolicyProvider;

/** The built-in decoder input policies. */
public final class DecoderPolicies {

    private DecoderPolicies() {
    }

    /** Always the ground truth. No options. */
    @Plugin(name = "teacher-forcing", description = "Always feed the ground truth (Williams and Zipser 1989)")
    public static final class TeacherForcing implements DecoderInputPolicyProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public TeacherForcing() {
        }

        @Override
        public DecoderInputPolicy create(Options options) {
            options.requireOnly("decoder input policy 'teacher-forcing'", Set.of());
            return (step, epoch) -> 1.0;
        }
    }

    /** Always the model's own previous prediction. No options. */
    @Plugin(name = "free-running", description = "Always feed the model's own previous prediction")
    public static final class FreeRunning implements DecoderInputPolicyProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public FreeRunning() {
        }

        @Override
        public DecoderInputPolicy create(Options options) {
            options.requireOnly("decoder input policy 'free-running'", Set.of());
            return (step, epoch) -> 0.0;
        }
    }

    /**
     * Scheduled sampling (Bengio et al. 2015): the probability {@code p} of the ground truth decays
     * with training progress {@code i} (optimizer steps, or epochs with {@code per=epoch}), by
     * {@code schedule}: {@code linear} {@code p = max(min, 1 - slope*i)}, {@code exponential}
     * {@code p = max(min, k^i)} ({@code k < 1}), {@code inverse-sigmoid} {@code p = k / (k + exp(i/k))}
     * ({@code k >= 1}). Options: {@code schedule} (default inverse-sigmoid), {@code k}, {@code slope},
     * {@code min} (default 0), {@code per} ({@code step} or {@code epoch}).
     */
    @Plugin(name = "scheduled-sampling",
            description = "Ground-truth probability decaying per step or epoch: linear, exponential or inverse-sigmoid")
    public static final class ScheduledSampling implements DecoderInputPolicyProvider {

        /** Called by {@link java.util.ServiceLoader}. */
        public ScheduledSampling() {
        }

        @Override
        public DecoderInputPolicy create(Options options) {
            options = options.requireOnly("decoder input policy 'scheduled-sampling'", Set.of("schedule", "k", "slope", "min", "per"));
            String schedule = options.choice("schedule", "inverse-sigmoid", Set.of("linear", "exponential", "inverse-sigmoid"));
            boolean perEpoch = options.choice("per", "step", Set.of("step", "epoch")).equals("epoch");
            double min = options.number("min", 0, 0, 1);
            // Each schedule reads its own option: the other one, given, would be silently ignored.
            String foreign = schedule.equals("linear") ? "k" : "slope";
            if (options.has(foreign)) {
                throw new IllegalArgumentException("decoder input policy 'scheduled-sampling': option " + foreign
                        + " does not apply to schedule " + schedule + " (linear takes slope; exponential and"
                        + " inverse-sigmoid take k)");
            }
            return switch (schedule) {
                case "linear" -> {
                    double slope = options.number("slope", 1e-4, 0, 1);
                    yield (step, epoch) -> Math.max(min, 1 - slope * (perEpoch ? epoch : step));
                }
                case "exponential" -> {
                    double k = options.number("k", 0.9999, 0, 1);
                    if (k == 0 || k == 1) {
                        throw new IllegalArgumentException("decoder input policy 'scheduled-sampling': option k of the"
                                + " exponential schedule must be in (0, 1), given " + k);
                    }
                    yield (step, epoch) -> Math.max(min, Math.pow(k, perEpoch ? epoch : step));
                }
                default -> {
                    double k = options.number("k", 1000, 1, Double.MAX_VALUE);
                    yield (step, epoch) -> Math.max(min, k / (k + Math.exp((perEpoch ? epoch : step) / k)));
                }
            };
        }
    }
}
