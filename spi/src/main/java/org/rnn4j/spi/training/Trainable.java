package org.rnn4j.spi.training;

import java.util.List;
import org.rnn4j.core.Parameter;

/**
 * A model the trainer can fit: its parameters, and one forward-backward pass over a batch. The
 * contract lives in {@code spi} so that model modules implement it without depending on the
 * trainer, and the trainer drives any model, built-in or third-party, by this interface alone.
 *
 * <p>Sequence models that unroll through time report their length with {@link #unrolledLength};
 * the trainer then asks the {@link UnrollingStrategy} for windows and calls {@link #train} once per
 * window, in order, with an optimizer step after each. The model carries its recurrent state from
 * one window to the next (gradient cut) and starts from its initial state on the first window of
 * every batch.
 *
 * @param <B> the batch type
 */
public interface Trainable<B> {

    /** The parameters the optimizer updates, with unique names; the same list, in the same order, on every call. */
    List<Parameter> parameters();

    /** Time steps of {@code batch} the unrolling strategy splits; 1 (the default) for models that do not unroll. */
    default int unrolledLength(B batch) {
        return 1;
    }

    /**
     * Runs one window of {@code batch} forward in training mode, computes its loss and accumulates
     * the gradient of that loss into {@link Parameter#grad()} (the trainer zeroes gradients first).
     *
     * @param window  the steps to run, whose loss counts and through which gradients flow;
     *                {@code (0, 0, 1)} for models that do not unroll
     * @param context where training stands, and the decoder input policy for models that feed back
     * @return the window's loss and metric counts
     */
    Result train(B batch, UnrollingStrategy.Window window, Context context);

    /**
     * Checks that {@code batch} fits the model (label ids in range, sequences not longer than the
     * model allows, the right number of features); the trainer calls it on every batch before the
     * first step, so bad data fails before any work is done. The default accepts every batch.
     *
     * @throws IllegalArgumentException naming what is wrong, the expected and the given values
     */
    default void check(B batch) {
    }

    /**
     * Checks that the model can train {@code batch} in {@code windows}, the unrolling strategy's
     * cut of its {@link #unrolledLength}; the trainer calls it beside {@link #check}, before the
     * first step, for batches that unroll. The default accepts every cut.
     *
     * @throws IllegalArgumentException naming the window and why the model cannot train in it
     */
    default void checkWindows(B batch, List<UnrollingStrategy.Window> windows) {
    }

    /** Runs {@code batch} forward without gradients and returns its loss and metric counts. */
    Result evaluate(B batch);

    /**
     * Loss and metric counts of one batch (or window).
     *
     * @param loss    mean loss over the {@code count} items (values, labels or tokens) it covers
     * @param count   number of items the loss averages over, so that batches of different sizes
     *                combine into an exact mean; 0 for a window without any (for example one that
     *                holds only padding), which the trainer skips without an optimizer step
     * @param correct items classified correctly, or {@code -1} when the model does not classify
     */
    record Result(double loss, long count, long correct) {
        /** Validates the counts. */
        public Result {
            if (count < 0 || count == 0 && loss != 0) {
                throw new IllegalArgumentException("Trainable.Result: count must be >= 0, and the loss 0 when it is 0; given "
                        + "count " + count + ", loss " + loss);
            }
            if (correct < -1 || correct > count) {
                throw new IllegalArgumentException("Trainable.Result: correct must be -1 or in [0, " + count + "], given " + correct);
            }
        }

        /** A result without a classification count. */
        public static Result of(double loss, long count) {
            return new Result(loss, count, -1);
        }
    }

    /**
     * Where training stands when a window runs.
     *
     * @param step          optimizer steps taken so far
     * @param epoch         epochs completed so far
     * @param seed          the run's seed; models derive dropout masks and sampling draws from it
     *                      with the step, so that a resumed run repeats them exactly
     * @param decoderInputs whether a decoder is fed the ground truth or its own prediction
     */
    record Context(long step, int epoch, long seed, DecoderInputPolicy decoderInputs) {
    }
}
