package org.rnn4j.tests.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.SequenceBatch;

/**
 * Trains on one batch of very long sequences in a small heap, for the long-input test: first
 * with full BPTT, which must be refused up front with the memory it would need, then with
 * truncated BPTT ({@code k1 = 100}), which must fit; then runs the layer over the whole batch for
 * inference, which keeps only its output and must fit too. Prints {@code full-bptt: <message>},
 * {@code truncated-bptt: <windows> windows, loss <first> -> <last>}, {@code inference: output <shape>}.
 * Run it with a heap smaller than full BPTT needs ({@code -Xmx16m} for T = 10,000, H = 32, B = 4):
 * finishing proves the bound.
 */
public final class LongSequenceTraining {

    private LongSequenceTraining() {
    }

    /** {@code args}: steps T, hidden size H, batch B. */
    public static void main(String[] args) throws IOException {
        int steps = Integer.parseInt(args[0]);
        int hidden = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        SequenceBatch data = echo(batch, steps);
        SequenceModel model = SequenceModel.builder(Recurrent.builder("lstm").inputSize(1).hiddenSize(hidden).seed(1)
                .build()).output(SequenceModel.Output.SEQUENCE).seed(2).build();
        try {
            trainer(model, "bptt", Options.empty(), null).fit(List.of(data));
            System.out.println("full-bptt: trained");
        } catch (IllegalArgumentException e) {
            System.out.println("full-bptt: " + e.getMessage());
        }
        List<Double> losses = new ArrayList<>();
        trainer(model, "truncated-bptt", Options.of("k1", "100"), new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                losses.add(event.loss());
            }
        }).fit(List.of(data));
        System.out.println("truncated-bptt: " + losses.size() + " windows, loss " + losses.getFirst() + " -> "
                + losses.getLast());
        Recurrent layer = Recurrent.builder("lstm").inputSize(1).hiddenSize(hidden).seed(1).build();
        System.out.println("inference: output " + Arrays.toString(layer.forward(data.features()).output().shape()));
    }

    private static Trainer<SequenceBatch, SequenceBatch> trainer(SequenceModel model, String unrolling, Options options,
                                                                  TrainingListener listener) {
        Trainer.Builder<SequenceBatch, SequenceBatch> b = Trainer.<SequenceBatch, SequenceBatch>builder(model, List::getFirst)
                .unrolling(unrolling, options).epochs(1).batchSize(1).learningRate(0.01);
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }

    /** Random inputs; the target at each step is the input two steps earlier. */
    private static SequenceBatch echo(int batch, int steps) {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(batch, steps, 1);
        Tensor y = Tensor.zeros(batch, steps, 1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                x.set((float) rng.nextDouble(-1, 1), b, t, 0);
                y.set(t >= 2 ? x.get(b, t - 2, 0) : 0f, b, t, 0);
            }
        }
        return new SequenceBatch(x, null, null, y, null);
    }
}
