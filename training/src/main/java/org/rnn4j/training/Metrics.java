package org.rnn4j.training;

/**
 * Loss and accuracy over a set of batches, averaged exactly over the items (values, labels or
 * tokens) they cover.
 *
 * @param loss     mean loss per item
 * @param count    items the mean covers
 * @param accuracy fraction of items classified correctly, or NaN when the model does not classify
 */
public record Metrics(double loss, long count, double accuracy) {

    /** {@code exp(loss)}: the perplexity when the loss is a cross-entropy in nats. */
    public double perplexity() {
        return Math.exp(loss);
    }

    /** {@code loss / ln 2}: bits per item when the loss is a cross-entropy in nats (bits per character for a character model). */
    public double bits() {
        return loss / Math.log(2);
    }

    /** {@code sqrt(loss)}: the root mean squared error when the loss is the mean squared error. */
    public double rmse() {
        return Math.sqrt(loss);
    }

    /** Accumulates batch results into metrics, weighting each by its item count. */
    static final class Sum {
        double lossSum;
        long count;
        long correct;
        boolean classifies = true;

        void add(double loss, long items, long correctItems) {
            lossSum += loss * items;
            count += items;
            if (correctItems < 0) {
                classifies = false;
            } else {
                correct += correctItems;
            }
        }

        Metrics metrics() {
            if (count == 0) {
                return new Metrics(Double.NaN, 0, Double.NaN);
            }
            return new Metrics(lossSum / count, count, classifies ? (double) correct / count : Double.NaN);
        }
    }
}
