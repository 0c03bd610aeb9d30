package org.rnn4j.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rnn4j.core.Memory;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.nn.Dense;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Metadata;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.nn.RecurrentStream;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.Losses;
import org.rnn4j.training.data.SequenceBatch;

/**
 * The classic recurrent models in one class: an optional token embedding, a {@link Recurrent}
 * layer (any cell, stacked, bidirectional) and a dense head, read out at the last step of each
 * sequence ({@link Output#LAST}: many-to-one, sequence-to-value, sequence classification) or at
 * every step ({@link Output#SEQUENCE}: many-to-many tagging, language models). Regression models
 * are trained on the mean squared error, classifiers on the cross-entropy of the head's logits.
 *
 * <p>A per-step model trains window by window as the unrolling strategy cuts each batch, carrying
 * the state between windows; a bidirectional one needs whole sequences (its reverse direction reads
 * every step to the end), and a trainer refuses a cut into shorter windows before its first step
 * ({@link #checkWindows}; {@link #train} refuses such a window too).
 *
 * <p>Recursive forecasting ({@link #forecast}) and sampling ({@link #generate}) feed the model's own
 * outputs back as its next inputs, one step at a time, through the layer's streaming path.
 *
 * <p>Parameters are named {@code embedding.weight}, {@code recurrent.<PyTorch name>} and
 * {@code head.weight}, {@code head.bias}. Inference ({@link #predict}, {@link #evaluate},
 * {@link #forecast}, {@link #generate}) allocates its own state, so one trained model serves many
 * threads. Training is not thread-safe (it accumulates gradients and carries state between the
 * windows of a batch): a {@link #train} call made while another thread is inside one fails with an
 * {@link IllegalStateException}.
 */
public final class SequenceModel implements Trainable<SequenceBatch> {

    /** Where the head reads the recurrent layer. */
    public enum Output {
        /** At each sequence's last real step: one output per sequence. */
        LAST,
        /** At every step: one output per step. */
        SEQUENCE
    }

    /** What the head predicts, and so the loss. */
    public enum Objective {
        /** Real values, trained on the mean squared error. */
        REGRESSION,
        /** Class logits, trained on the cross-entropy (targets are labels; -1 marks padding). */
        CLASSIFICATION
    }

    /** Label of padded targets, ignored by the loss. */
    public static final int IGNORE = -1;

    private static final String FORMAT = "rnn4j-sequence-model";

    private final Embedding embedding;
    private final int paddingId;
    private final Recurrent recurrent;
    private final Dense head;
    private final Output output;
    private final Objective objective;
    private final double labelSmoothing;
    private final long seed;
    private final List<Parameter> parameters;

    /** The batch of the last window trained, whose states the next window of the same batch continues from. */
    private SequenceBatch windowBatch;
    /** Recurrent state carried between the windows of one batch under truncated BPTT. */
    private Map<String, Tensor> windowStartState;
    private int windowStart;
    private Map<String, Tensor> windowEndState;
    private int windowEnd;
    /** The thread inside {@link #train}, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> trainer = new java.util.concurrent.atomic.AtomicReference<>();

    private SequenceModel(Builder b) {
        this.recurrent = b.recurrent;
        this.embedding = b.vocabulary > 0 ? new Embedding(b.vocabulary, recurrent.inputSize(), b.paddingId, b.seed) : null;
        this.paddingId = b.paddingId;
        this.head = new Dense(recurrent.outputSize(), b.outputs, b.seed + 1);
        this.output = b.output;
        this.objective = b.objective;
        this.labelSmoothing = b.labelSmoothing;
        this.seed = b.seed;
        List<Parameter> all = new ArrayList<>();
        if (embedding != null) {
            embedding.parameters().forEach(p -> all.add(p.renamed("embedding." + p.name())));
        }
        recurrent.parameters().forEach(p -> all.add(p.renamed("recurrent." + p.name())));
        head.parameters().forEach(p -> all.add(p.renamed("head." + p.name())));
        this.parameters = List.copyOf(all);
    }

    /**
     * Starts a model around {@code recurrent}; its input size is the feature count or the embedding
     * size. The model trains the layer's own parameters: a layer given to two models (or built into
     * two) is shared by both, tied weights, which must then be trained from one thread.
     */
    public static Builder builder(Recurrent recurrent) {
        return new Builder(recurrent);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The recurrent layer. */
    public Recurrent recurrent() {
        return recurrent;
    }

    /** Outputs of the head per prediction. */
    public int outputs() {
        return head.outputSize();
    }

    /** Where the head reads the layer. */
    public Output output() {
        return output;
    }

    /** What the head predicts. */
    public Objective objective() {
        return objective;
    }

    /** Size of the token vocabulary, or 0 when the model takes features. */
    public int vocabulary() {
        return embedding == null ? 0 : embedding.vocabularySize();
    }

    /** Per-step models unroll through time; per-sequence models are always trained with full BPTT. */
    @Override
    public int unrolledLength(SequenceBatch batch) {
        return output == Output.SEQUENCE ? batch.steps() : 1;
    }

    @Override
    public void check(SequenceBatch batch) {
        String op = "SequenceModel";
        checkInputs(op, batch);
        if (output == Output.LAST) {
            for (int r = 0; r < batch.batchSize(); r++) {
                if (batch.length(r) == 0) {
                    throw new IllegalArgumentException(op + ": sequence " + r + " is empty; a per-sequence output needs at least one step");
                }
            }
        }
        int b = batch.batchSize();
        int o = head.outputSize();
        if (objective == Objective.REGRESSION) {
            int[] want = output == Output.LAST ? new int[] {b, o} : new int[] {b, batch.steps(), o};
            if (batch.targets() == null || !batch.targets().hasShape(want)) {
                throw new IllegalArgumentException(op + ": regression targets must be " + Arrays.toString(want) + ", given "
                        + (batch.targets() == null ? (batch.labels() == null ? "none" : "labels") : Arrays.toString(batch.targets().shape())));
            }
        } else {
            int per = output == Output.LAST ? 1 : batch.steps();
            if (batch.labels() == null) {
                throw new IllegalArgumentException(op + ": a classifier needs labels [" + b + "][" + per + "], given "
                        + (batch.targets() == null ? "none" : "real-valued targets"));
            }
            for (int r = 0; r < b; r++) {
                if (batch.labels()[r].length != per) {
                    throw new IllegalArgumentException(op + ": label row " + r + " has " + batch.labels()[r].length
                            + " entries, expected " + per);
                }
                for (int label : batch.labels()[r]) {
                    if (label != IGNORE && (label < 0 || label >= o)) {
                        throw new IllegalArgumentException(op + ": label " + label + " in row " + r + " is outside [0, "
                                + o + ") (" + IGNORE + " marks padding)");
                    }
                }
            }
        }
    }

    /** Checks that the batch's inputs fit the model: tokens or features as it takes them, ids in the vocabulary. */
    private void checkInputs(String op, SequenceBatch batch) {
        if (embedding == null && batch.features() == null) {
            throw new IllegalArgumentException(op + ": the model takes features [B, T, " + recurrent.inputSize()
                    + "], the batch has tokens");
        }
        if (embedding != null && batch.tokens() == null) {
            throw new IllegalArgumentException(op + ": the model takes token ids (vocabulary " + vocabulary()
                    + "), the batch has features");
        }
        if (batch.features() != null && batch.features().dim(2) != recurrent.inputSize()) {
            throw new IllegalArgumentException(op + ": the batch's input has " + batch.features().dim(2)
                    + " features per step, the model expects " + recurrent.inputSize());
        }
        if (batch.tokens() != null) {
            for (int b = 0; b < batch.batchSize(); b++) {
                for (int t = 0; t < batch.steps(); t++) {
                    int id = batch.tokens()[b][t];
                    if (id < 0 || id >= vocabulary()) {
                        throw new IllegalArgumentException(op + ": token id " + id + " at [" + b + ", " + t
                                + "] is outside the vocabulary [0, " + vocabulary() + ")");
                    }
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when another thread is inside {@code train} on this model
     */
    @Override
    public Result train(SequenceBatch batch, UnrollingStrategy.Window window, Context context) {
        Thread current = Thread.currentThread();
        if (!trainer.compareAndSet(null, current)) {
            Thread other = trainer.get();
            throw new IllegalStateException("SequenceModel.train: thread '" + current.getName() + "' called train while thread '"
                    + (other == null ? "?" : other.getName()) + "' was training this model; train one model from one thread");
        }
        try {
            return trainWindow(batch, window, context);
        } finally {
            trainer.set(null);
        }
    }

    private Result trainWindow(SequenceBatch batch, UnrollingStrategy.Window window, Context context) {
        Objects.requireNonNull(context, "context");
        check(batch);
        int length = unrolledLength(batch);
        if (window.end() > length) {
            throw new IllegalArgumentException("SequenceModel.train: window " + window + " ends past the batch's "
                    + length + (length == 1 ? " step (a per-sequence output trains on the whole sequence at once)" : " steps"));
        }
        requireWholeIfBidirectional("SequenceModel.train", window, length);
        if (window.lossStart() > 0 && batch != windowBatch) {
            throw new IllegalArgumentException("SequenceModel.train: window " + window + " is the first of its batch; "
                    + "a batch's windows come in order, the first starting its loss at step 0");
        }
        windowBatch = batch;
        long dropoutSeed = seed ^ context.seed() ^ (0x9E3779B97F4A7C15L * (context.step() + 1)) ^ window.end();
        if (output == Output.LAST) {
            return pass(batch, 0, 0, batch.steps(), null, true, dropoutSeed).backward();
        }
        if (window.lossStart() == 0) {
            windowStartState = null;
            windowStart = 0;
            windowEndState = null;
            windowEnd = -1;
        }
        Map<String, Tensor> start = stateAt(batch, window.gradientStart());
        Pass pass = pass(batch, window.gradientStart(), window.lossStart(), window.end(), start, true, dropoutSeed);
        Result result = pass.backward();
        windowStartState = start;
        windowStart = window.gradientStart();
        windowEndState = pass.out.finalStates();
        windowEnd = window.end();
        return result;
    }

    /** Refuses, before the first step, a cut of a batch that {@link #train} would refuse at its window. */
    @Override
    public void checkWindows(SequenceBatch batch, List<UnrollingStrategy.Window> windows) {
        int length = unrolledLength(batch);
        for (UnrollingStrategy.Window window : windows) {
            requireWholeIfBidirectional("SequenceModel.checkWindows", window, length);
        }
    }

    /** A bidirectional per-step model trains on whole sequences: its reverse direction reads every step to the end. */
    private void requireWholeIfBidirectional(String op, UnrollingStrategy.Window window, int length) {
        if (recurrent.directions() == 2 && output == Output.SEQUENCE && (window.gradientStart() > 0 || window.end() < length)) {
            throw new IllegalArgumentException(op + ": window " + window + " covers part of the batch's " + length
                    + " steps; a bidirectional layer's reverse direction reads every step to the end, so it trains"
                    + " on whole sequences: use full BPTT ('bptt') or a unidirectional layer");
        }
    }

    /** The recurrent state at step {@code t} of the current batch, from the states carried between windows. */
    private Map<String, Tensor> stateAt(SequenceBatch batch, int t) {
        if (t == windowEnd) {
            return windowEndState;
        }
        if (t == windowStart) {
            return windowStartState;
        }
        if (t < windowStart) {
            throw new IllegalStateException("SequenceModel: window starting at step " + t
                    + " comes after one starting at " + windowStart + "; windows must come in order");
        }
        // Overlapping windows (k2 > k1): run forward without gradients from the last window's start.
        return recurrent.forward(layerInput(batch, windowStart, t), lengths(batch, windowStart, t),
                windowStartState, false).finalStates();
    }

    @Override
    public Result evaluate(SequenceBatch batch) {
        check(batch);
        return pass(batch, 0, 0, batch.steps(), null, false, 0).result;
    }

    /**
     * The head's outputs: {@code [B, O]} for {@link Output#LAST}, {@code [B, T, O]} for
     * {@link Output#SEQUENCE} (zero at padded steps); logits for classifiers. Labels and targets in the
     * batch are not read. A sequence of length 0 is answered from the initial (zero) state, which
     * {@link #check} refuses for training and evaluation.
     */
    public Tensor predict(SequenceBatch batch) {
        checkInputs("SequenceModel.predict", batch);
        int b = batch.batchSize();
        int t = batch.steps();
        RecurrentOutput out = recurrent.forward(layerInput(batch, 0, t), batch.lengths(), null, false);
        if (output == Output.LAST) {
            return head.forward(out.last()).value();
        }
        int[][] rows = rows(batch, 0, 0, t, false);
        Tensor y = head.forward(gather(out.output(), rows, t)).value();
        Tensor all = Tensor.zeros(b, t, head.outputSize());
        scatter(y, rows, all, t);
        return all;
    }

    /**
     * Recursive forecasting: reads {@code history} and then feeds each prediction back as the next
     * input, for {@code horizon} steps. Needs a unidirectional regression model on features whose
     * outputs are its inputs (the same number of features); the head reads each step's state, so a
     * per-step model forecasts as a per-sequence one does.
     *
     * @param history {@code [B, T, F]}
     * @return {@code [B, horizon, F]}
     */
    public Tensor forecast(Tensor history, int horizon) {
        if (embedding != null || objective != Objective.REGRESSION || head.outputSize() != recurrent.inputSize()) {
            throw new IllegalArgumentException("SequenceModel.forecast: needs a regression model on features whose outputs ("
                    + head.outputSize() + ") equal its inputs (" + recurrent.inputSize() + ")");
        }
        if (recurrent.directions() != 1) {
            throw new IllegalArgumentException("SequenceModel.forecast: a bidirectional layer cannot run step by step");
        }
        if (history.rank() != 3 || history.dim(2) != recurrent.inputSize() || history.dim(0) < 1 || history.dim(1) < 1
                || horizon < 1) {
            throw new IllegalArgumentException("SequenceModel.forecast: needs history [B >= 1, T >= 1, " + recurrent.inputSize()
                    + "] and horizon >= 1, given " + Arrays.toString(history.shape()) + " and " + horizon);
        }
        int b = history.dim(0);
        int t = history.dim(1);
        int f = history.dim(2);
        RecurrentStream stream = recurrent.stream(b);
        Tensor x = Tensor.zeros(b, f);
        Tensor h = null;
        for (int s = 0; s < t; s++) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(history.data(), (r * t + s) * f, x.data(), r * f, f);
            }
            h = stream.step(x);
        }
        Tensor forecast = Tensor.zeros(b, horizon, f);
        for (int s = 0; s < horizon; s++) {
            Tensor y = head.forward(h).value();
            for (int r = 0; r < b; r++) {
                System.arraycopy(y.data(), r * f, forecast.data(), (r * horizon + s) * f, f);
            }
            x.copyFrom(y);
            h = stream.step(x);
        }
        return forecast;
    }

    /**
     * Sampling from a per-step token classifier (a language model): reads {@code prompt}, then draws
     * each next token from the softmax of the logits divided by {@code temperature} and feeds it back.
     *
     * @return the {@code count} tokens drawn after the prompt
     */
    public int[] generate(int[] prompt, int count, double temperature, long sampleSeed) {
        if (embedding == null || output != Output.SEQUENCE || objective != Objective.CLASSIFICATION
                || head.outputSize() != vocabulary() || recurrent.directions() != 1) {
            throw new IllegalArgumentException("SequenceModel.generate: needs a unidirectional per-step token classifier "
                    + "over its own vocabulary (a language model)");
        }
        if (prompt.length < 1 || count < 0 || !(temperature > 0)) {
            throw new IllegalArgumentException("SequenceModel.generate: needs a non-empty prompt, count >= 0 and "
                    + "temperature > 0, given " + prompt.length + " tokens, " + count + ", " + temperature);
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocabulary()) {
                throw new IllegalArgumentException("SequenceModel.generate: prompt[" + i + "] = " + prompt[i]
                        + " is outside the vocabulary [0, " + vocabulary() + ")");
            }
        }
        RecurrentStream stream = recurrent.stream(1);
        SplittableRandom rng = new SplittableRandom(sampleSeed);
        Tensor h = null;
        for (int token : prompt) {
            h = stream.step(embedding.forward(new int[][] {{token}}).value().reshape(1, recurrent.inputSize()));
        }
        int[] drawn = new int[count];
        for (int i = 0; i < count; i++) {
            float[] logits = head.forward(h).value().data();
            drawn[i] = sample(logits, temperature, rng);
            h = stream.step(embedding.forward(new int[][] {{drawn[i]}}).value().reshape(1, recurrent.inputSize()));
        }
        return drawn;
    }

    private static int sample(float[] logits, double temperature, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    /** One forward pass over steps {@code [from, to)} with the loss of steps {@code [lossFrom, to)}, ready to go backward. */
    private Pass pass(SequenceBatch batch, int from, int lossFrom, int to, Map<String, Tensor> initial, boolean training,
                      long dropoutSeed) {
        Embedding.Output embedded = embedding == null ? null : embedding.forward(tokens(batch, from, to));
        Tensor x = embedded != null ? embedded.value() : layerInput(batch, from, to);
        RecurrentOutput out = recurrent.forward(x, lengths(batch, from, to), initial, training, dropoutSeed);
        int span = to - from;
        int[][] rows = output == Output.LAST ? null : rows(batch, from, lossFrom, to, true);
        if (rows != null && rows.length == 0) {
            return new Pass(out, embedded, null, null, null, Result.of(0, 0), span);
        }
        Tensor features = output == Output.LAST ? out.last() : gather(out.output(), rows, span);
        Dense.Output y = head.forward(features);
        Losses.Loss loss;
        long count;
        long correct = -1;
        if (objective == Objective.REGRESSION) {
            Tensor target = output == Output.LAST ? batch.targets() : gatherTargets(batch.targets(), rows, from);
            loss = Losses.mse(y.value(), target);
            count = target.size();
        } else {
            int[] labels = new int[y.value().dim(0)];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = output == Output.LAST ? batch.labels()[i][0] : batch.labels()[rows[i][0]][from + rows[i][1]];
            }
            count = Arrays.stream(labels).filter(l -> l != IGNORE).count();
            if (count == 0) {
                return new Pass(out, embedded, null, null, null, Result.of(0, 0), span);
            }
            loss = Losses.crossEntropy(y.value(), labels, IGNORE, labelSmoothing);
            correct = countCorrect(y.value(), labels);
        }
        return new Pass(out, embedded, y, loss, rows, new Result(loss.value(), count, correct), span);
    }

    private final class Pass {
        final RecurrentOutput out;
        final Embedding.Output embedded;
        final Dense.Output y;
        final Losses.Loss loss;
        final int[][] rows;
        final Result result;
        final int span;

        Pass(RecurrentOutput out, Embedding.Output embedded, Dense.Output y, Losses.Loss loss, int[][] rows,
             Result result, int span) {
            this.out = out;
            this.embedded = embedded;
            this.y = y;
            this.loss = loss;
            this.rows = rows;
            this.result = result;
            this.span = span;
        }

        Result backward() {
            if (result.count() == 0) {
                return result;
            }
            Tensor dFeatures = y.backward(loss.gradient());
            RecurrentOutput.Gradients g;
            if (rows == null) {
                g = out.backward(null, dFeatures, null);
            } else {
                Tensor dOutput = Tensor.zeros(out.output().shape());
                scatter(dFeatures, rows, dOutput, span);
                g = out.backward(dOutput, null, null);
            }
            if (embedded != null) {
                embedded.backward(g.input());
            }
            return result;
        }
    }

    /**
     * (row, step within the span) of every step in {@code [lossFrom, to)} that is real and, when
     * {@code labelledOnly} (a loss), for classifiers labelled.
     */
    private int[][] rows(SequenceBatch batch, int from, int lossFrom, int to, boolean labelledOnly) {
        List<int[]> rows = new ArrayList<>();
        for (int b = 0; b < batch.batchSize(); b++) {
            int end = Math.min(to, batch.length(b));
            for (int t = lossFrom; t < end; t++) {
                if (labelledOnly && objective == Objective.CLASSIFICATION && batch.labels()[b][t] == IGNORE) {
                    continue;
                }
                rows.add(new int[] {b, t - from});
            }
        }
        return rows.toArray(new int[0][]);
    }

    private static Tensor gather(Tensor sequence, int[][] rows, int span) {
        int h = sequence.dim(2);
        Tensor out = Tensor.zeros(rows.length, h);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(sequence.data(), (rows[i][0] * span + rows[i][1]) * h, out.data(), i * h, h);
        }
        return out;
    }

    private static void scatter(Tensor values, int[][] rows, Tensor sequence, int span) {
        int h = sequence.dim(2);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(values.data(), i * h, sequence.data(), (rows[i][0] * span + rows[i][1]) * h, h);
        }
    }

    private static Tensor gatherTargets(Tensor targets, int[][] rows, int from) {
        int t = targets.dim(1);
        int o = targets.dim(2);
        Tensor out = Tensor.zeros(rows.length, o);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(targets.data(), (rows[i][0] * t + from + rows[i][1]) * o, out.data(), i * o, o);
        }
        return out;
    }

    private static long countCorrect(Tensor logits, int[] labels) {
        int c = logits.dim(1);
        long correct = 0;
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] == IGNORE) {
                continue;
            }
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (logits.data()[r * c + j] > logits.data()[r * c + best]) {
                    best = j;
                }
            }
            if (best == labels[r]) {
                correct++;
            }
        }
        return correct;
    }

    private static int[][] tokens(SequenceBatch batch, int from, int to) {
        int[][] slice = new int[batch.batchSize()][];
        for (int b = 0; b < slice.length; b++) {
            slice[b] = Arrays.copyOfRange(batch.tokens()[b], from, to);
        }
        return slice;
    }

    /** The layer's input for steps {@code [from, to)}: embedded tokens or a slice of the features. */
    private Tensor layerInput(SequenceBatch batch, int from, int to) {
        if (embedding != null) {
            return embedding.forward(tokens(batch, from, to)).value();
        }
        Tensor features = batch.features();
        int b = features.dim(0);
        int t = features.dim(1);
        int f = features.dim(2);
        if (from == 0 && to == t) {
            return features;
        }
        Tensor slice = Tensor.zeros(b, to - from, f);
        for (int r = 0; r < b; r++) {
            System.arraycopy(features.data(), (r * t + from) * f, slice.data(), r * (to - from) * f, (to - from) * f);
        }
        return slice;
    }

    private static int[] lengths(SequenceBatch batch, int from, int to) {
        if (batch.lengths() == null && from == 0 && to == batch.steps()) {
            return null;
        }
        int[] lengths = new int[batch.batchSize()];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = Math.clamp(batch.length(b) - from, 0, to - from);
        }
        return lengths;
    }

    /**
     * Saves the model as one safetensors file: the weights under their parameter names and the
     * configuration as metadata. Written atomically.
     */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /**
     * Saves the model with extra string metadata of the caller's (for example how its inputs were
     * scaled), which {@code SafeTensors.read(file).metadata()} returns; keys must not clash with
     * the model's own ({@code format}, {@code recurrent.*}, ...).
     *
     * @throws IllegalArgumentException when an extra key clashes with one of the model's
     */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach(p -> tensors.put(p.name(), p.value()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", "1");
        recurrent.config().forEach((k, v) -> meta.put("recurrent." + k, v));
        meta.put("vocabulary", Integer.toString(vocabulary()));
        meta.put("padding_id", Integer.toString(paddingId));
        meta.put("outputs", Integer.toString(head.outputSize()));
        meta.put("output", output.name().toLowerCase(Locale.ROOT));
        meta.put("objective", objective.name().toLowerCase(Locale.ROOT));
        meta.put("label_smoothing", Double.toString(labelSmoothing));
        meta.put("seed", Long.toString(seed));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (meta.containsKey(e.getKey()) || e.getKey().startsWith("recurrent.")) {
                throw new IllegalArgumentException("SequenceModel.save: extra metadata key '" + e.getKey()
                        + "' clashes with the model's own keys " + meta.keySet());
            }
            meta.put(e.getKey(), e.getValue());
        }
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Loads a model saved by {@link #save}. The cell is found by name in the plugin registry; no
     * class name is read from the file. The model is built under a memory budget of twice the file's
     * weights ({@link SafeTensors.Contents#modelBudget}), so sizes in the metadata that do not match
     * the weights fail before a large allocation.
     *
     * @throws ModelFileException when the file is not a saved sequence model, or its configuration or
     *                            weights do not fit, naming what is wrong
     */
    public static SequenceModel load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(file, "not a saved rnn4j sequence model: metadata format is " + meta.get("format")
                    + ", expected " + FORMAT);
        }
        Metadata.requireFormatVersion(file, meta, "sequence model", "1");
        try {
            Map<String, String> config = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith("recurrent.")) {
                    config.put(k.substring("recurrent.".length()), v);
                }
            });
            SequenceModel model = Memory.withBudget(contents.modelBudget(), () -> builder(Recurrent.fromConfig(config))
                    .vocabulary(Metadata.integer(meta, "vocabulary"), Metadata.integer(meta, "padding_id"))
                    .outputs(Metadata.integer(meta, "outputs"))
                    .output(Metadata.choice(meta, "output", Output.class))
                    .objective(Metadata.choice(meta, "objective", Objective.class))
                    .labelSmoothing(Metadata.decimal(meta, "label_smoothing"))
                    .seed(Metadata.longInteger(meta, "seed"))
                    .build());
            org.rnn4j.nn.StateDicts.load("SequenceModel", model.parameters, contents.tensors(), "");
            return model;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "cannot rebuild the model: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SequenceModel[" + (embedding == null ? "" : "embedding " + vocabulary() + ", ") + recurrent + ", head "
                + head + ", " + output + ", " + objective + "]";
    }

    /** Configures a {@link SequenceModel}. Defaults: features input, one output, {@link Output#LAST}, regression. */
    public static final class Builder {
        private final Recurrent recurrent;
        private int vocabulary;
        private int paddingId = -1;
        private int outputs = 1;
        private Output output = Output.LAST;
        private Objective objective = Objective.REGRESSION;
        private double labelSmoothing;
        private long seed = 42;

        private Builder(Recurrent recurrent) {
            this.recurrent = Objects.requireNonNull(recurrent, "recurrent");
        }

        /**
         * Takes token ids through an embedding of {@code vocabulary} rows of the layer's input size.
         *
         * @param paddingId the id whose embedding stays zero and gets no gradient, or -1 for none
         */
        public Builder vocabulary(int vocabulary, int paddingId) {
            if (vocabulary < 0 || paddingId < -1 || vocabulary > 0 && paddingId >= vocabulary) {
                throw new IllegalArgumentException("SequenceModel: vocabulary must be >= 0 (0: features) and paddingId -1 or in [0, "
                        + vocabulary + "), given " + vocabulary + " and " + paddingId);
            }
            this.vocabulary = vocabulary;
            this.paddingId = paddingId;
            return this;
        }

        /** Outputs of the head: values per prediction, or classes. */
        public Builder outputs(int outputs) {
            if (outputs < 1) {
                throw new IllegalArgumentException("SequenceModel: outputs must be >= 1, given " + outputs);
            }
            this.outputs = outputs;
            return this;
        }

        /** Where the head reads the layer. */
        public Builder output(Output output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** What the head predicts. */
        public Builder objective(Objective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * Label smoothing of the cross-entropy, in {@code [0, 1)}. Evaluation reports the same smoothed
         * loss (as Keras's {@code val_loss} does), so its bits and perplexity are of that loss, above
         * the plain cross-entropy's.
         */
        public Builder labelSmoothing(double labelSmoothing) {
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("SequenceModel: label smoothing must be in [0, 1), given " + labelSmoothing);
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /** Seed of the embedding and head initialization and of dropout masks. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds the model. */
        public SequenceModel build() {
            if (objective == Objective.CLASSIFICATION && outputs < 2) {
                throw new IllegalArgumentException("SequenceModel: a classifier needs outputs >= 2 classes, given " + outputs);
            }
            return new SequenceModel(this);
        }
    }
}
