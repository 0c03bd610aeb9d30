package org.rnn4j.spi.optim;

import org.rnn4j.spi.Options;

/** Creates learning-rate schedules such as {@code step}, {@code exponential}, {@code cosine}, {@code warmup}. */
public interface LearningRateScheduleProvider {

    /**
     * Creates the schedule with these options.
     *
     * @throws IllegalArgumentException when an option is unknown or out of range, naming it
     */
    LearningRateSchedule create(Options options);
}
