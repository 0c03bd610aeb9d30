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
 * through {@code META-INF/services}) on first use, with {@code ServiceLoader.load} and the loading
 * thread's context class loader; plugins added later are not seen (a host with its own module
 * layer builds a {@link PluginRegistry} of its own). Thread-safe.
 *
 * <p>A kind whose plugins cannot be listed (two with one name, a provider without
 * {@link Plugin}) throws the {@link java.util.ServiceConfigurationError} that says why on first
 * use, and {@link NoClassDefFoundError} on every later use (the JVM keeps its holder class
 * failed); the other kinds stay usable. A provider that fails to construct fails only the lookups
 * of its name, and the next one retries.
 */
public final class Registries {

    private Registries() {
    }

    /** Recurrent cells: {@code rnn}, {@code lstm}, {@code gru}, and plugins. */
    public static PluginRegistry<CellProvider> cells() {
        return Cells.REGISTRY;
    }

    /** Attention scorers: {@code dot}, {@code scaled-dot}, {@code general}, {@code additive}, and plugins. */
    public static PluginRegistry<ScorerProvider> scorers() {
        return Scorers.REGISTRY;
    }

    /** Unrolling strategies: {@code bptt}, {@code truncated-bptt}, and plugins. */
    public static PluginRegistry<UnrollingProvider> unrolling() {
        return Unrolling.REGISTRY;
    }

    /** Gradient transforms: {@code clip-norm}, {@code clip-value}, and plugins. */
    public static PluginRegistry<GradientTransformProvider> gradientTransforms() {
        return GradientTransforms.REGISTRY;
    }

    /** Decoder input policies: {@code teacher-forcing}, {@code free-running}, {@code scheduled-sampling}, and plugins. */
    public static PluginRegistry<DecoderInputPolicyProvider> decoderInputPolicies() {
        return DecoderInputPolicies.REGISTRY;
    }

    /** Optimizers: {@code sgd}, {@code adam}, ..., and plugins. */
    public static PluginRegistry<OptimizerProvider> optimizers() {
        return Optimizers.REGISTRY;
    }

    /** Learning-rate schedules, and plugins. */
    public static PluginRegistry<LearningRateScheduleProvider> learningRateSchedules() {
        return Schedules.REGISTRY;
    }

    // One holder per kind, each loaded lazily, once, by the JVM's class initialization (thread-safe):
    // a kind whose plugins fail to load (two of one name, say) leaves the other kinds usable.

    private static final class Cells {
        static final PluginRegistry<CellProvider> REGISTRY =
                PluginRegistry.of("cell", CellProvider.class, ServiceLoader.load(CellProvider.class));
    }

    private static final class Scorers {
        static final PluginRegistry<ScorerProvider> REGISTRY =
                PluginRegistry.of("attention scorer", ScorerProvider.class, ServiceLoader.load(ScorerProvider.class));
    }

    private static final class Unrolling {
        static final PluginRegistry<UnrollingProvider> REGISTRY =
                PluginRegistry.of("unrolling strategy", UnrollingProvider.class, ServiceLoader.load(UnrollingProvider.class));
    }

    private static final class GradientTransforms {
        static final PluginRegistry<GradientTransformProvider> REGISTRY = PluginRegistry.of(
                "gradient transform", GradientTransformProvider.class, ServiceLoader.load(GradientTransformProvider.class));
    }

    private static final class DecoderInputPolicies {
        static final PluginRegistry<DecoderInputPolicyProvider> REGISTRY = PluginRegistry.of(
                "decoder input policy", DecoderInputPolicyProvider.class,
                ServiceLoader.load(DecoderInputPolicyProvider.class));
    }

    private static final class Optimizers {
        static final PluginRegistry<OptimizerProvider> REGISTRY =
                PluginRegistry.of("optimizer", OptimizerProvider.class, ServiceLoader.load(OptimizerProvider.class));
    }

    private static final class Schedules {
        static final PluginRegistry<LearningRateScheduleProvider> REGISTRY = PluginRegistry.of(
                "learning-rate schedule", LearningRateScheduleProvider.class,
                ServiceLoader.load(LearningRateScheduleProvider.class));
    }
}
