package org.rnn4j.training;

/**
 * Hears the trainer's progress: every optimizer step and every epoch. Listeners run on the
 * training thread, in registration order; an exception thrown by one stops training.
 */
public interface TrainingListener {

    /** Called after every optimizer step, and after every step skipped for a non-finite loss or gradient. */
    default void onStep(StepEvent event) {
    }

    /** Called after every epoch, once validation (if any) has run. */
    default void onEpoch(EpochEvent event) {
    }

    /**
     * One step.
     *
     * @param step          optimizer steps taken, this one included
     * @param epoch         the epoch this step belongs to (0-based)
     * @param batch         the batch within the epoch (0-based)
     * @param batches       batches in the epoch
     * @param loss          the step's loss (of its window, under truncated BPTT)
     * @param gradientNorm  global L2 norm of all gradients before any gradient transform
     * @param clippedNorm   global L2 norm after the gradient transforms
     * @param learningRate  the rate the optimizer used
     * @param skipped       whether the step was skipped for a non-finite loss or gradient
     */
    record StepEvent(long step, int epoch, int batch, int batches, double loss, double gradientNorm,
                     double clippedNorm, double learningRate, boolean skipped) {
    }

    /**
     * One epoch.
     *
     * @param epoch      the epoch (0-based)
     * @param train      metrics of the training batches, as seen while training
     * @param validation metrics on the validation data after the epoch, or null without validation data
     * @param improved   whether the validation loss improved on the best so far (by the early-stopping margin)
     * @param steps      optimizer steps taken so far
     * @param skipped    steps skipped so far for non-finite values
     */
    record EpochEvent(int epoch, Metrics train, Metrics validation, boolean improved, long steps, long skipped) {
    }
}
