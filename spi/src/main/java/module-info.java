/**
 * Plugin contracts and the registry that finds plugins by name through {@link java.util.ServiceLoader}.
 * Each plugin kind has a provider interface here; built-in providers live in the {@code cells},
 * {@code attention} and {@code training} modules, third-party ones anywhere on the module path.
 */
module org.rnn4j.spi {
    requires transitive org.rnn4j.core;

    exports org.rnn4j.spi;
    exports org.rnn4j.spi.cell;
    exports org.rnn4j.spi.attention;
    exports org.rnn4j.spi.training;
    exports org.rnn4j.spi.optim;

    uses org.rnn4j.spi.cell.CellProvider;
    uses org.rnn4j.spi.attention.ScorerProvider;
    uses org.rnn4j.spi.training.UnrollingProvider;
    uses org.rnn4j.spi.training.GradientTransformProvider;
    uses org.rnn4j.spi.training.DecoderInputPolicyProvider;
    uses org.rnn4j.spi.optim.OptimizerProvider;
    uses org.rnn4j.spi.optim.LearningRateScheduleProvider;
}
