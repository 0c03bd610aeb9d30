package org.rnn4j.training.data;

import java.util.Objects;

/**
 * An affine rescaling {@code (x - center) / scale} of a series, fitted on the training part only so
 * that nothing about the validation and test parts leaks into training. Values outside the
 * training range are kept, not clipped: min-max may map them outside {@code [0, 1]}.
 *
 * <p>The two numbers are the whole state; store them with the method in a model description and
 * rebuild with the constructor to rescale new data and read predictions back in original units.
 *
 * @param method how {@code center} and {@code scale} were fitted
 * @param center subtracted first: the mean (z-score) or the minimum (min-max)
 * @param scale  divided by next: the standard deviation (z-score) or the range (min-max); 1 when
 *               the training part is constant, so that constant data is only shifted
 */
public record Normalizer(Method method, double center, double scale) {

    /** How a normalizer is fitted. */
    public enum Method {
        /** {@code (x - mean) / std}, with the population standard deviation. */
        Z_SCORE,
        /** {@code (x - min) / (max - min)}: the training part maps onto {@code [0, 1]}. */
        MIN_MAX;

        /**
         * Fits this method on the training part of a series.
         *
         * @throws IllegalArgumentException when {@code train} is empty or holds a NaN or an infinity
         */
        public Normalizer fit(float[] train) {
            if (train.length == 0) {
                throw new IllegalArgumentException("Normalizer.fit: the training part is empty");
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < train.length; i++) {
                if (!Float.isFinite(train[i])) {
                    throw new IllegalArgumentException("Normalizer.fit: expected finite values, given " + train[i]
                            + " at index " + i);
                }
                min = Math.min(min, train[i]);
                max = Math.max(max, train[i]);
                sum += train[i];
            }
            if (this == MIN_MAX) {
                return new Normalizer(this, min, spread(max - min));
            }
            double mean = sum / train.length;
            double squares = 0;
            for (float v : train) {
                squares += (v - mean) * (v - mean);
            }
            return new Normalizer(this, mean, spread(Math.sqrt(squares / train.length)));
        }

        private static double spread(double s) {
            return s > 0 ? s : 1;
        }
    }

    /** Validates the parameters. */
    public Normalizer {
        Objects.requireNonNull(method, "method");
        if (!Double.isFinite(center) || !Double.isFinite(scale) || !(scale > 0)) {
            throw new IllegalArgumentException("Normalizer: expected a finite center and a finite scale > 0, given center "
                    + center + ", scale " + scale);
        }
    }

    /** {@code (x - center) / scale} of each value, in a new array. */
    public float[] transform(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) ((values[i] - center) / scale);
        }
        return out;
    }

    /** {@code x * scale + center} of each value, in a new array: normalized values back in original units. */
    public float[] inverse(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] * scale + center);
        }
        return out;
    }
}
