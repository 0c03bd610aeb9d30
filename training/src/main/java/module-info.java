/**
 * Built-in training plugins: unrolling ({@code bptt}, {@code truncated-bptt}), gradient transforms
 * ({@code clip-norm}, {@code clip-value}), decoder input policies ({@code teacher-forcing},
 * {@code free-running}, {@code scheduled-sampling}), optimizers ({@code sgd}, {@code adam},
 * {@code adamw}, {@code rmsprop}, {@code adagrad}) and learning-rate schedules, registered with the
 * rnn4j registry; the trainer, its checkpoints and data pipeline; and losses.
 */
module org.rnn4j.training {
    requires transitive org.rnn4j.spi;

    exports org.rnn4j.training;
    exports org.rnn4j.training.data;

    provides org.rnn4j.spi.training.UnrollingProvider with
            org.rnn4j.training.FullBptt,
            org.rnn4j.training.TruncatedBptt;
    provides org.rnn4j.spi.training.GradientTransformProvider with
            org.rnn4j.training.ClipNorm,
            org.rnn4j.training.ClipValue;
    provides org.rnn4j.spi.training.DecoderInputPolicyProvider with
            org.rnn4j.training.DecoderPolicies.TeacherForcing,
            org.rnn4j.training.DecoderPolicies.FreeRunning,
            org.rnn4j.training.DecoderPolicies.ScheduledSampling;
    provides org.rnn4j.spi.optim.OptimizerProvider with
            org.rnn4j.training.Sgd,
            org.rnn4j.training.Adam,
            org.rnn4j.training.AdamW,
            org.rnn4j.training.RmsProp,
            org.rnn4j.training.Adagrad;
    provides org.rnn4j.spi.optim.LearningRateScheduleProvider with
            org.rnn4j.training.LearningRateSchedules.Constant,
            org.rnn4j.training.LearningRateSchedules.StepDecay,
            org.rnn4j.training.LearningRateSchedules.Exponential,
            org.rnn4j.training.LearningRateSchedules.Cosine,
            org.rnn4j.training.LearningRateSchedules.Warmup;
}
