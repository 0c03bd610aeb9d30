package org.rnn4j.spi;

import java.util.ServiceLoader;
import org.rnn4j.spi.attention.ScorerProvider;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.optim.LearningRateScheduleProvider;
import org.rnn4j.spi.optim.OptimizerProvider;
import org.rnn4j.spi.training.DecoderInputPolicyProvider;
import org.rnn4j.spi.training.GradientTransformProvider;
import org.rnn4j.spi.training.UnrollingProvider;

/**
 * The registries of every plugin kind, each loaded once from the module path (or the class path,
 * through {@code META-INF/services}) on first use. Thread-safe.
 */
public final class Registries {

    private Registries() {
    }

    /** Recurrent cells: {@code rnn}, {@code lstm}, {@code gru}, and plugins. */
    public static PluginRegistry<CellProvider> cells() {
        return Holder.CELLS;
    }

    /** Attention scorers: {@code dot}, {@code scaled-dot}, {@code general}, {@code additive}, and plugins. */
    public static PluginRegistry<ScorerProvider> scorers() {
        return Holder.SCORERS;
    }

    /** Unrolling strategies: {@code bptt}, {@code truncated-bptt}, and plugins. */
    public static PluginRegistry<UnrollingProvider> unrolling() {
        return Holder.UNROLLING;
    }

    /** Gradient transforms: {@code clip-norm}, {@code clip-value}, and plugins. */
    public static PluginRegistry<GradientTransformProvider> gradientTransforms() {
        return Holder.GRADIENT_TRANSFORMS;
    }

    /** Decoder input policies: {@code teacher-forcing}, {@code free-running}, {@code scheduled-sampling}, and plugins. */
    public static PluginRegistry<DecoderInputPolicyProvider> decoderInputPolicies() {
        return Holder.DECODER_INPUT_POLICIES;
    }

    /** Optimizers: {@code sgd}, {@code adam}, ..., and plugins. */
    public static PluginRegistry<OptimizerProvider> optimizers() {
        return Holder.OPTIMIZERS;
    }

    /** Learning-rate schedules, and plugins. */
    public static PluginRegistry<LearningRateScheduleProvider> learningRateSchedules() {
        return Holder.SCHEDULES;
    }

    /** Loaded lazily, once, by the JVM's class initialization (which is thread-safe). */
    private static final class Holder {
        static final PluginRegistry<CellProvider> CELLS =
                PluginRegistry.of("cell", CellProvider.class, ServiceLoader.load(CellProvider.class));
        static final PluginRegistry<ScorerProvider> SCORERS =
                PluginRegistry.of("attention scorer", ScorerProvider.class, ServiceLoader.load(ScorerProvider.class));
        static final PluginRegistry<UnrollingProvider> UNROLLING =
                PluginRegistry.of("unrolling strategy", UnrollingProvider.class, ServiceLoader.load(UnrollingProvider.class));
        static final PluginRegistry<GradientTransformProvider> GRADIENT_TRANSFORMS = PluginRegistry.of(
                "gradient transform", GradientTransformProvider.class, ServiceLoader.load(GradientTransformProvider.class));
        static final PluginRegistry<DecoderInputPolicyProvider> DECODER_INPUT_POLICIES = PluginRegistry.of(
                "decoder input policy", DecoderInputPolicyProvider.class,
                ServiceLoader.load(DecoderInputPolicyProvider.class));
        static final PluginRegistry<OptimizerProvider> OPTIMIZERS =
                PluginRegistry.of("optimizer", OptimizerProvider.class, ServiceLoader.load(OptimizerProvider.class));
        static final PluginRegistry<LearningRateScheduleProvider> SCHEDULES = PluginRegistry.of(
                "learning-rate schedule", LearningRateScheduleProvider.class,
                ServiceLoader.load(LearningRateScheduleProvider.class));
    }
}
