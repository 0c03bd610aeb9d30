package org.rnn4j.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one trial of a {@link Sweep} gave. A plain class rather than a record so that Spark's Kryo
 * carries it from the executors without extra configuration.
 */
public final class SweepResult implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int trial;
    private final LinkedHashMap<String, String> parameters;
    private final String error;
    private final int epochs;
    private final long steps;
    private final double trainLoss;
    private final double validationLoss;
    private final double validationAccuracy;
    private final int bestEpoch;
    private final double seconds;

    SweepResult(int trial, Map<String, String> parameters, String error, int epochs, long steps, double trainLoss,
                double validationLoss, double validationAccuracy, int bestEpoch, double seconds) {
        this.trial = trial;
        this.parameters = new LinkedHashMap<>(parameters);
        this.error = error;
        this.epochs = epochs;
        this.steps = steps;
        this.trainLoss = trainLoss;
        this.validationLoss = validationLoss;
        this.validationAccuracy = validationAccuracy;
        this.bestEpoch = bestEpoch;
        this.seconds = seconds;
    }

    /** Position of the trial in the list given to {@link Sweep#run}. */
    public int trial() {
        return trial;
    }

    /** The trial's parameters. */
    public Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * Why the trial failed ({@code "ExceptionClass: message"}, then {@code "; caused by ..."} for each
     * cause; the stack trace goes to the executor's log), or null when it trained.
     */
    public String error() {
        return error;
    }

    /** Epochs completed. */
    public int epochs() {
        return epochs;
    }

    /** Optimizer steps taken. */
    public long steps() {
        return steps;
    }

    /** Training loss of the last epoch; NaN when the trial failed. */
    public double trainLoss() {
        return trainLoss;
    }

    /** Lowest validation loss over the epochs; NaN without validation or when the trial failed. */
    public double validationLoss() {
        return validationLoss;
    }

    /** Validation accuracy at the epoch of the lowest validation loss; NaN when the model does not classify. */
    public double validationAccuracy() {
        return validationAccuracy;
    }

    /** The epoch (from 0) of the lowest validation loss, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Wall-clock seconds the trial took in its task. */
    public double seconds() {
        return seconds;
    }

    @Override
    public String toString() {
        return "SweepResult[trial=" + trial + ", parameters=" + parameters + (error != null ? ", error=" + error
                : ", epochs=" + epochs + ", steps=" + steps + ", trainLoss=" + trainLoss + ", validationLoss="
                + validationLoss + ", validationAccuracy=" + validationAccuracy + ", bestEpoch=" + bestEpoch)
                + ", seconds=" + seconds + "]";
    }
}
