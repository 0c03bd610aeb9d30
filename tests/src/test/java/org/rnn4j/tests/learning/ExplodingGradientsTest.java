package org.rnn4j.tests.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.NonFiniteValueException;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.training.Losses;

/**
 * Exploding gradients (Pascanu et al. 2013): a relu RNN whose recurrent weights start at 1.2 times
 * the identity amplifies gradients by about 1.2 per step, some 240 times over 30 steps. Plain SGD
 * diverges; the same run with {@code clip-norm} trains.
 */
class ExplodingGradientsTest {

    private static final int T = 30;
    private static final int BATCH = 32;

    /** First and final training loss (infinite or NaN when it diverged) and the largest gradient norm seen. */
    private static double[] train(boolean clip) {
        Recurrent rnn = Recurrent.builder("rnn").inputSize(1).hiddenSize(16)
                .options(Options.of("nonlinearity", "relu", "init", "irnn")).seed(5).build();
        float[] whh = rnn.stateDict().get("weight_hh_l0").data();
        for (int i = 0; i < whh.length; i++) {
            whh[i] *= 1.2f;
        }
        Dense head = new Dense(16, 1, 6);
        List<Parameter> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Optimizer sgd = Registries.optimizers().get("sgd").create(Options.empty());
        GradientTransform clipNorm = Registries.gradientTransforms().get("clip-norm").create(Options.of("max_norm", "1"));
        SplittableRandom rng = new SplittableRandom(7);
        double loss = Double.NaN;
        double first = Double.NaN;
        double largest = 0;
        for (int step = 0; step < 400; step++) {
            Tensor x = Tensor.zeros(BATCH, T, 1);
            Tensor y = Tensor.zeros(BATCH, 1);
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < T; t++) {
                    float v = (float) rng.nextDouble(-1, 1);
                    x.set(v, b, t, 0);
                    y.data()[b] += v;
                }
            }
            params.forEach(Parameter::zeroGrad);
            RecurrentOutput out = rnn.forward(x, null, null, true);
            Dense.Output pred;
            try {
                pred = head.forward(out.last());
            } catch (NonFiniteValueException e) {
                // The relu state overflowed: the head refuses its infinite input.
                loss = Double.POSITIVE_INFINITY;
                break;
            }
            Losses.Loss l = Losses.mse(pred.value(), y);
            loss = l.value();
            if (step == 0) {
                first = loss;
            }
            if (!Double.isFinite(loss) || loss > 1e6) {
                break;
            }
            out.backward(null, pred.backward(l.gradient()), null);
            double norm = clip ? clipNorm.apply(params).normBefore()
                    : org.rnn4j.training.GradientNorms.global(params);
            largest = Math.max(largest, norm);
            sgd.step(params, 0.05);
        }
        return new double[] {loss, largest, first};
    }

    @Test
    void clippingByGlobalNormTamesThem() {
        double[] plain = train(false);
        double[] clipped = train(true);
        String report = "without clipping: loss " + plain[2] + " -> " + plain[0] + ", largest gradient norm " + plain[1]
                + "; with clip-norm 1: loss " + clipped[2] + " -> " + clipped[0] + ", largest norm before clipping "
                + clipped[1];
        System.out.println(report);
        assertTrue(plain[1] > 1e3, report);
        // Plain SGD diverges: the loss ends non-finite or a thousand times where it started (about
        // 945 -> Infinity here), not merely above some small value that a run which learns nothing keeps.
        assertTrue(Double.isFinite(plain[2]), report);
        assertTrue(!Double.isFinite(plain[0]) || plain[0] > 1000 * plain[2], report);
        // The target, a sum of 30 values uniform in [-1, 1], has variance 10: answering 0 scores 10.
        assertTrue(Double.isFinite(clipped[0]) && clipped[0] < 5 && clipped[0] < clipped[2] / 2, report);
    }
}
