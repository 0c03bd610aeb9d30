package org.rnn4j.spi.training;

import java.util.SplittableRandom;

/**
 * Decides, while training a decoder, whether the next input is the ground truth (teacher forcing)
 * or the model's own previous prediction. A policy is a schedule of the probability of the ground
 * truth; the draw itself is {@link #useGroundTruth}, a pure function of the seed and the position,
 * so training is reproducible and resumable without saving random-generator state.
 */
public interface DecoderInputPolicy {

    /**
     * Probability, in {@code [0, 1]}, of feeding the ground truth at this point of training.
     *
     * @param step  optimizer steps taken so far
     * @param epoch epochs completed so far
     */
    double groundTruthProbability(long step, int epoch);

    /**
     * The decision for one decoder time step of one sequence, drawn per time step (not per
     * sequence) as scheduled sampling prescribes (Bengio et al. 2015).
     *
     * @param seed     the training run's seed
     * @param step     optimizer steps taken so far
     * @param epoch    epochs completed so far
     * @param timeStep decoder time step
     * @param row      sequence within the batch
     * @throws IllegalStateException when the policy's probability is not in {@code [0, 1]}
     */
    default boolean useGroundTruth(long seed, long step, int epoch, int timeStep, int row) {
        double p = groundTruthProbability(step, epoch);
        if (!(p >= 0 && p <= 1)) {
            // A NaN would otherwise read as "never": silently free running.
            throw new IllegalStateException("decoder input policy " + getClass().getName() + ": groundTruthProbability("
                    + step + ", " + epoch + ") is " + p + ", expected a probability in [0, 1]");
        }
        if (p >= 1) {
            return true;
        }
        if (p <= 0) {
            return false;
        }
        long key = seed ^ (step * 0x9E3779B97F4A7C15L) ^ ((long) timeStep << 32) ^ row;
        return new SplittableRandom(key).nextDouble() < p;
    }
}
