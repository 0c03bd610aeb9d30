package org.rnn4j.tests.plugins;

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
import org.rnn4j.spi.cell.CellConformance;
import org.rnn4j.spi.optim.Optimizer;

/**
 * The third-party cell of examples/custom-cell ({@code mgu}), which this module never imports: found
 * by name at run time, checked by the conformance kit, and trained.
 */
class CustomCellPluginTest {

    @Test
    void isDiscoveredByName() {
        assertTrue(Registries.cells().names().contains("mgu"), "registered cells: " + Registries.cells().names());
        assertTrue(Registries.cells().description("mgu").contains("Minimal gated unit"));
    }

    @Test
    void passesTheConformanceKit() {
        CellConformance.of(Registries.cells().get("mgu"), Options.empty()).checkAll();
    }

    @Test
    void learnsToSumASequence() {
        Recurrent mgu = Recurrent.builder("mgu").inputSize(1).hiddenSize(16).seed(3).build();
        Dense head = new Dense(16, 1, 4);
        List<Parameter> params = new ArrayList<>(mgu.parameters());
        params.addAll(head.parameters());
        Optimizer adam = Registries.optimizers().get("adam").create(Options.empty());
        SplittableRandom rng = new SplittableRandom(5);
        int b = 32;
        int t = 8;
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            Tensor x = Tensor.zeros(b, t, 1);
            Tensor y = Tensor.zeros(b, 1);
            for (int i = 0; i < b; i++) {
                for (int s = 0; s < t; s++) {
                    float v = (float) rng.nextDouble(-0.5, 0.5);
                    x.data()[i * t + s] = v;
                    y.data()[i] += v;
                }
            }
            params.forEach(Parameter::zeroGrad);
            RecurrentOutput out = mgu.forward(x, null, null, true);
            Dense.Output pred = head.forward(out.last());
            Tensor d = Tensor.zeros(b, 1);
            double mse = 0;
            for (int i = 0; i < b; i++) {
                double e = pred.value().data()[i] - y.data()[i];
                mse += e * e / b;
                d.data()[i] = (float) (2 * e / b);
            }
            out.backward(null, pred.backward(d), null);
            adam.step(params, 0.01);
            if (step == 0) {
                first = mse;
            }
            last = mse;
        }
        // The variance of the target is 8/12 = 0.67: predicting its mean scores about that.
        assertTrue(last < 0.05 && last < first / 10, "MSE went from " + first + " to " + last);
    }
}
