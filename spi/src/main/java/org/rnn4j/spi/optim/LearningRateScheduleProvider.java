package org.rnn4j.spi.optim;

import org.rnn4j.spi.Options;

/**
 * Creates learning-rate schedules such as {@code step}, {@code exponential}, {@code cosine},
 * {@code warmup}. A provider is registered with
 * {@code provides org.rnn4j.spi.optim.LearningRateScheduleProvider with ...} in its module descriptor
 * (and a {@code META-INF/services} entry for class-path use), carries {@code @Plugin(name = "...")},
 * and reads its options through {@link org.rnn4j.spi.Options#requireOnly}, so an unknown one is an
 * error.
 */
public interface LearningRateScheduleProvider {

    /**
     * Creates the schedule with these options.
     *
     * @throws IllegalArgumentException when an option is unknown or out of range, naming it
     */
    LearningRateSchedule create(Options options);
}
