package org.rnn4j.tests.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.training.Losses;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997) at T = 50: the target is the sum of the two
 * values marked somewhere in a sequence of random numbers. Answering 1.0 always scores MSE 0.167;
 * gated cells learn to carry the marked values across the sequence, a tanh RNN does not.
 */
class AddingProblemTest {

    private static final int T = 50;
    private static final int BATCH = 64;

    /** One batch: inputs {@code [B, T, 2]} (value, marker) and targets {@code [B, 1]}. */
    private static Tensor[] batch(SplittableRandom rng) {
        Tensor x = Tensor.zeros(BATCH, T, 2);
        Tensor y = Tensor.zeros(BATCH, 1);
        for (int b = 0; b < BATCH; b++) {
            int first = rng.nextInt(T / 2);
            int second = T / 2 + rng.nextInt(T / 2);
            for (int t = 0; t < T; t++) {
                float v = (float) rng.nextDouble();
                x.set(v, b, t, 0);
                if (t == first || t == second) {
                    x.set(1f, b, t, 1);
                    y.data()[b] += v;
                }
            }
        }
        return new Tensor[] {x, y};
    }

    /** Trains for {@code steps} Adam steps and returns the MSE on fresh held-out batches. */
    private static double train(String cell, int steps) {
        Recurrent rnn = Recurrent.builder(cell).inputSize(2).hiddenSize(32).seed(11).build();
        Dense head = new Dense(32, 1, 12);
        List<Parameter> params = new ArrayList<>(rnn.parameters());
        params.addAll(head.parameters());
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        var clip = Registries.gradientTransforms().get("clip-norm").create(Options.of("max_norm", "1"));
        SplittableRandom rng = new SplittableRandom(13);
        for (int step = 0; step < steps; step++) {
            Tensor[] xy = batch(rng);
            params.forEach(Parameter::zeroGrad);
            RecurrentOutput out = rnn.forward(xy[0], null, null, true);
            Dense.Output pred = head.forward(out.last());
            Losses.Loss loss = Losses.mse(pred.value(), xy[1]);
            out.backward(null, pred.backward(loss.gradient()), null);
            clip.apply(params);
            adam.step(params, 0.005);
        }
        SplittableRandom held = new SplittableRandom(99);
        double mse = 0;
        for (int i = 0; i < 4; i++) {
            Tensor[] xy = batch(held);
            mse += Losses.mse(head.forward(rnn.forward(xy[0]).last()).value(), xy[1]).value() / 4;
        }
        return mse;
    }

    @Test
    void gatedCellsLearnTheLongTermDependencyAndATanhRnnDoesNot() {
        double lstm = train("lstm", 1500);
        double gru = train("gru", 1500);
        double rnn = train("rnn", 1500);
        String report = "held-out MSE after 1500 steps: lstm " + lstm + ", gru " + gru + ", rnn " + rnn;
        System.out.println(report);
        assertTrue(lstm < 0.01, report);
        assertTrue(gru < 0.01, report);
        assertTrue(rnn > 0.1, report);
    }
}
