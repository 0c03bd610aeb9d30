package org.rnn4j.spi.optim;

/** The learning rate as a pure function of the base rate and the step, so it resumes exactly. */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate for the next optimizer step.
     *
     * @param baseRate the configured learning rate
     * @param step     optimizer steps taken so far
     * @param epoch    epochs completed so far
     */
    double rate(double baseRate, long step, int epoch);
}
