/**
 * Built-in training plugins: optimizers ({@code sgd}, {@code adam}, {@code adamw}) and gradient
 * transforms ({@code clip-norm}, {@code clip-value}), registered with the rnn4j registry.
 */
module org.rnn4j.training {
    requires transitive org.rnn4j.spi;

    exports org.rnn4j.training;

    provides org.rnn4j.spi.optim.OptimizerProvider with
            org.rnn4j.training.Sgd,
            org.rnn4j.training.Adam,
            org.rnn4j.training.AdamW;
    provides org.rnn4j.spi.training.GradientTransformProvider with
            org.rnn4j.training.ClipNorm,
            org.rnn4j.training.ClipValue;
}
