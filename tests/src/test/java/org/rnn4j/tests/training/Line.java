package org.rnn4j.tests.training;

import java.util.List;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;

/**
 * A model small enough to follow by hand: {@code y = w x + b} on pairs {@code (x, y)}, mean squared
 * error. An x of NaN poisons the gradient, as a bad example would; an x beyond 1000 fails the check.
 * A classifying line counts a prediction within 0.5 of y as correct.
 */
class Line implements Trainable<List<float[]>> {
    final Parameter w = new Parameter("w", Tensor.wrap(new float[] {0.5f}, 1));
    final Parameter b = new Parameter("b", Tensor.wrap(new float[] {0f}, 1));
    final boolean classifies;
    int trainCalls;

    /** A line that does not classify: its evaluation has no correct count. */
    Line() {
        this(false);
    }

    Line(boolean classifies) {
        this.classifies = classifies;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w, b);
    }

    @Override
    public void check(List<float[]> batch) {
        for (float[] xy : batch) {
            if (xy[0] > 1000) {
                throw new IllegalArgumentException("Line: x = " + xy[0] + " is beyond the model's range [.., 1000]");
            }
        }
    }

    @Override
    public Result train(List<float[]> batch, UnrollingStrategy.Window window, Context context) {
        trainCalls++;
        double loss = 0;
        for (float[] xy : batch) {
            float err = w.value().data()[0] * xy[0] + b.value().data()[0] - xy[1];
            loss += err * err / batch.size();
            w.grad().data()[0] += 2 * err * xy[0] / batch.size();
            b.grad().data()[0] += 2 * err / batch.size();
        }
        return Result.of(loss, batch.size());
    }

    @Override
    public Result evaluate(List<float[]> batch) {
        double loss = 0;
        long close = 0;
        for (float[] xy : batch) {
            float err = w.value().data()[0] * xy[0] + b.value().data()[0] - xy[1];
            loss += err * err / batch.size();
            close += Math.abs(err) < 0.5 ? 1 : 0;
        }
        return new Result(loss, batch.size(), classifies ? close : -1);
    }

    float[] weights() {
        return new float[] {w.value().data()[0], b.value().data()[0]};
    }
}
