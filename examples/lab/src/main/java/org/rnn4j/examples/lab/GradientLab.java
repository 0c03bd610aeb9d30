package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Metrics;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.SequenceBatch;

/**
 * Lab 7, the gradient lessons: (a) vanishing gradients, the norm of {@code dL/dh_t} across 100
 * steps for a tanh RNN, an LSTM and a GRU; (b) exploding gradients, a relu RNN trained with and
 * without {@code clip-norm}; (c) long-term dependencies, the adding problem for all three cells.
 */
final class GradientLab implements Experiment {

    @Override
    public String name() {
        return "gradients";
    }

    @Override
    public String title() {
        return "Gradient lessons: vanishing (tanh RNN vs LSTM vs GRU), exploding (relu RNN with and without clip-norm), "
                + "long-term dependencies (the adding problem)";
    }

    @Override
    public String dataHelp() {
        return "none: this lab makes its own synthetic sequences (--data is not used)";
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        if (run.data() != null) {
            throw new IllegalArgumentException("lab 'gradients' makes its own sequences and reads no data file");
        }
        Findings findings = new Findings();
        vanishing(run, findings);
        exploding(run, findings);
        adding(run, findings);
        return findings;
    }

    private static Tensor uniform(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    /** (a) {@code ||dL/d state_t||} for every t, where L reads only the last state: how much of the signal reaches step t. */
    private static void vanishing(LabRun run, Findings findings) throws IOException {
        int steps = run.size().pick(30, 100, 100);
        int batch = 16;
        String[] cells = {"rnn", "lstm", "gru"};
        List<double[]> norms = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(run.seed());
        Tensor x = uniform(rng, batch, steps, 8);
        for (String cell : cells) {
            // PyTorch's default initialization, uniform(+-1/sqrt(H)): the classic setting of the lesson.
            Recurrent layer = Recurrent.builder(cell).inputSize(8).hiddenSize(32).options(Options.of("init", "pytorch"))
                    .seed(run.seed()).build();
            Tensor direction = uniform(new SplittableRandom(run.seed() + 1), batch, 32);
            double[] norm = new double[steps];
            for (int t = 0; t < steps; t++) {
                Map<String, Tensor> state = t == 0 ? null : layer.forward(slice(x, 0, t), null, null, false).finalStates();
                RecurrentOutput out = layer.forward(slice(x, t, steps), null, state, true);
                Map<String, Tensor> grads = out.backward(null, direction, null).initialState();
                double sq = 0;
                for (Tensor g : grads.values()) {
                    for (float v : g.data()) {
                        sq += (double) v * v;
                    }
                }
                norm[t] = Math.sqrt(sq);
            }
            norms.add(norm);
        }
        double rnnRatio = norms.get(0)[0] / norms.get(0)[steps - 1];
        for (int c = 1; c < cells.length; c++) {
            double ratio = norms.get(c)[0] / norms.get(c)[steps - 1];
            findings.row(cells[c].toUpperCase(java.util.Locale.ROOT) + ": gradient reaching step 0", "||dL/ds_0|| / ||dL/ds_" + (steps - 1) + "||",
                    ratio, "tanh RNN", rnnRatio, false);
        }
        run.say("   vanishing: of the gradient at the last step, %.2e reaches step 0 in a tanh RNN, %.2e in an LSTM, %.2e in a GRU",
                rnnRatio, norms.get(1)[0] / norms.get(1)[steps - 1], norms.get(2)[0] / norms.get(2)[steps - 1]);
        double[] t = Charts.indexes(steps, 0);
        findings.chart(Charts.lines(run.file("vanishing.png"), "Gradient of a loss on the last state, at each earlier step",
                "step t", "||dL/d state_t|| (log scale)", List.of("tanh RNN", "LSTM (h and c)", "GRU"), List.of(t, t, t), norms,
                true, Double.NaN));
        findings.note("(a) Vanishing gradients: L = <r, h_T> for a fixed random r; ||dL/d state_t|| measured at every t by "
                + "back-propagating from T to t (the LSTM's state is h and c together). PyTorch's initialization, untrained.");
    }

    private static Tensor slice(Tensor x, int from, int to) {
        int b = x.dim(0);
        int t = x.dim(1);
        int f = x.dim(2);
        Tensor s = Tensor.zeros(b, to - from, f);
        for (int r = 0; r < b; r++) {
            System.arraycopy(x.data(), (r * t + from) * f, s.data(), r * (to - from) * f, (to - from) * f);
        }
        return s;
    }

    /** Stops a run whose loss has blown up, to plot it rather than wait for infinities. */
    private static final class Diverged extends RuntimeException {
        Diverged() {
            super(null, null, false, false);
        }
    }

    /** (b) A relu RNN whose recurrent weights start at 1.2 times the identity, trained by plain SGD. */
    private static void exploding(LabRun run, Findings findings) throws IOException {
        int steps = 30;
        int examples = run.size().pick(1600, 6400, 12800);
        List<SequenceBatch> data = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(run.seed() + 2);
        for (int i = 0; i < examples; i++) {
            Tensor x = uniform(rng, 1, steps, 1);
            float sum = 0;
            for (float v : x.data()) {
                sum += v;
            }
            data.add(new SequenceBatch(x, null, null, Tensor.wrap(new float[] {sum}, 1, 1), null));
        }
        List<double[]> curves = new ArrayList<>();
        double[] finals = new double[2];
        for (int clip = 0; clip < 2; clip++) {
            SequenceModel model = SequenceModel.builder(Recurrent.builder("rnn").inputSize(1).hiddenSize(16)
                    .options(Options.of("nonlinearity", "relu", "init", "irnn")).seed(run.seed() + 4).build()).seed(run.seed() + 5).build();
            float[] whh = model.recurrent().stateDict().get("weight_hh_l0").data();
            for (int i = 0; i < whh.length; i++) {
                whh[i] *= 1.2f;
            }
            List<Double> losses = new ArrayList<>();
            var builder = Trainer.<SequenceBatch, SequenceBatch>builder(model, GradientLab::stack)
                    .optimizer("sgd", Options.empty()).learningRate(0.05).batchSize(32).epochs(1).seed(run.seed())
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepEvent event) {
                            losses.add(event.loss());
                            if (!(event.loss() < 1e6)) {
                                throw new Diverged();
                            }
                        }
                    });
            if (clip == 1) {
                builder.gradientTransform("clip-norm", Options.of("max_norm", "1"));
            }
            try {
                builder.build().fit(data);
                finals[clip] = losses.subList(Math.max(0, losses.size() - 10), losses.size()).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            } catch (Diverged | org.rnn4j.training.NonFiniteException e) {
                finals[clip] = Double.POSITIVE_INFINITY;
            }
            curves.add(losses.stream().mapToDouble(d -> Double.isFinite(d) ? d : 1e30).toArray());
        }
        findings.row("relu RNN, SGD with clip-norm 1", "final training MSE", finals[1], "without clipping", finals[0], true);
        run.say("   exploding: final training MSE %.3f with clip-norm, %s without", finals[1],
                Double.isInfinite(finals[0]) ? "diverged" : String.format(java.util.Locale.ROOT, "%.3f", finals[0]));
        findings.chart(Charts.lines(run.file("exploding.png"), "relu RNN (W_hh = 1.2 I) on sums of 30 values: training loss",
                "step", "MSE (log scale)", List.of("no clipping", "clip-norm 1"),
                List.of(Charts.indexes(curves.get(0).length, 0), Charts.indexes(curves.get(1).length, 0)), curves, true, Double.NaN));
        findings.note("(b) Exploding gradients: the recurrent weights amplify gradients by about 1.2 per step; without clipping "
                + "one large step throws the weights out of range (the run stops when the loss passes 1e6).");
    }

    /** Stacks single-sequence examples into one batch. */
    private static SequenceBatch stack(List<SequenceBatch> examples) {
        SequenceBatch first = examples.getFirst();
        int t = first.steps();
        int f = first.features().dim(2);
        int o = first.targets().dim(1);
        Tensor x = Tensor.zeros(examples.size(), t, f);
        Tensor y = Tensor.zeros(examples.size(), o);
        for (int i = 0; i < examples.size(); i++) {
            System.arraycopy(examples.get(i).features().data(), 0, x.data(), i * t * f, t * f);
            System.arraycopy(examples.get(i).targets().data(), 0, y.data(), i * o, o);
        }
        return new SequenceBatch(x, null, null, y, null);
    }

    /** (c) The adding problem: the target is the sum of the two marked values in a sequence of random numbers. */
    private static void adding(LabRun run, Findings findings) throws IOException {
        int steps = run.size().pick(20, 50, 100);
        int examples = run.size().pick(3072, 8192, 25600);
        int epochs = run.size().pick(4, 8, 10);
        SplittableRandom rng = new SplittableRandom(run.seed() + 3);
        List<SequenceBatch> data = new ArrayList<>();
        for (int i = 0; i < examples + 1024; i++) {
            Tensor x = Tensor.zeros(1, steps, 2);
            int first = rng.nextInt(steps / 2);
            int second = steps / 2 + rng.nextInt(steps / 2);
            float sum = 0;
            for (int s = 0; s < steps; s++) {
                float v = (float) rng.nextDouble();
                x.set(v, 0, s, 0);
                if (s == first || s == second) {
                    x.set(1f, 0, s, 1);
                    sum += v;
                }
            }
            data.add(new SequenceBatch(x, null, null, Tensor.wrap(new float[] {sum}, 1, 1), null));
        }
        List<SequenceBatch> train = data.subList(0, examples);
        List<SequenceBatch> held = data.subList(examples, data.size());
        double baseline = 0;
        for (SequenceBatch b : held) {
            double e = b.targets().data()[0] - 1.0;
            baseline += e * e / held.size();
        }
        List<double[]> curves = new ArrayList<>();
        List<String> names = new ArrayList<>();
        double rnnMse = Double.NaN;
        double gatedMse = 0; // the worse of LSTM and GRU
        for (String cell : new String[] {"rnn", "lstm", "gru"}) {
            SequenceModel model = SequenceModel.builder(Recurrent.builder(cell).inputSize(2).hiddenSize(32).seed(run.seed() + 10)
                    .build()).seed(run.seed() + 11).build();
            List<Double> curve = new ArrayList<>();
            Trainer.History history;
            try (LabRun.Progress progress = run.progress("adding " + cell, epochs)) {
                history = Trainer.<SequenceBatch, SequenceBatch>builder(model, GradientLab::stack)
                        .optimizer("adam", Options.empty()).learningRate(0.005).batchSize(64).epochs(epochs).seed(run.seed())
                        .gradientTransform("clip-norm", Options.of("max_norm", "1")).validation(held).listener(progress)
                        .listener(new TrainingListener() {
                            @Override
                            public void onEpoch(EpochEvent event) {
                                curve.add(event.validation().loss());
                            }
                        }).build().fit(train);
            }
            Metrics last = history.last().validation();
            String label = cell.equals("rnn") ? "tanh RNN" : cell.toUpperCase(java.util.Locale.ROOT);
            if (cell.equals("rnn")) {
                rnnMse = last.loss();
            } else {
                gatedMse = Math.max(gatedMse, last.loss());
                findings.row(label + ", adding problem T=" + steps, "held-out MSE", last.loss(), "always 1.0", baseline, true);
            }
            run.say("   adding problem T=%d: %s held-out MSE %.4f (always answering 1.0: %.4f)", steps, label, last.loss(), baseline);
            names.add(label);
            curves.add(curve.stream().mapToDouble(Double::doubleValue).toArray());
        }
        double[] x = Charts.indexes(epochs, 1);
        findings.chart(Charts.lines(run.file("adding.png"), "The adding problem, T = " + steps + ": held-out MSE per epoch",
                "epoch", "MSE (log scale)", names, List.of(x, x, x), curves, true, Double.NaN));
        // What the numbers say, not what they usually say: a short or unlucky run may differ.
        boolean rnnLearned = rnnMse < 0.5 * baseline;
        boolean gatedLearned = gatedMse < 0.5 * baseline;
        findings.note(String.format(java.util.Locale.ROOT, "(c) Long-term dependency: after %d epochs the tanh RNN's held-out MSE is "
                + "%.4f, against %.4f for always answering 1.0: %s to carry the marked values across %d steps; %s.", epochs, rnnMse,
                baseline, rnnLearned ? "it has learned" : "it has not learned", steps,
                gatedLearned ? "the gated cells have" : rnnLearned ? "in this run the gated cells have not"
                        : "in this run the gated cells have not either"));
    }
}
