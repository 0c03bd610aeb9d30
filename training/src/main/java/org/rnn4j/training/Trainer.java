package org.rnn4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.rnn4j.core.NonFiniteValueException;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.optim.LearningRateSchedule;
import org.rnn4j.spi.optim.Optimizer;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.GradientTransform;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.data.BatchSampler;
import org.rnn4j.training.data.Batches;

/**
 * Fits a {@link Trainable} model to a data set: epochs of mini-batches from a {@link BatchSampler},
 * one optimizer step per unrolling window, gradient transforms (clipping) between the backward pass
 * and the step, validation after every epoch, early stopping, listeners, atomic checkpoints and
 * exact resumption.
 *
 * <p>Every strategy is found by name through the plugin registry, so third-party plugins work the
 * same as the built-in ones. Everything random (batch order, decoder input draws, dropout) derives
 * from the seed and the step, so the same seed and data give bit-identical weights run to run, and
 * a run resumed from a checkpoint continues exactly as the uninterrupted run would have. Training
 * uses the kernels' threads (every available processor unless {@code rnn4j.threads} caps them),
 * and its results do not depend on their number.
 *
 * <p>A trainer is not thread-safe; run one {@link #fit} at a time: a {@link #fit}, {@link #resume} or
 * {@link #evaluate} called from another thread while one runs fails with an
 * {@link IllegalStateException} instead of mixing two runs' state.
 *
 * @param <E> the type of one example
 * @param <B> the batch type the model takes
 */
public final class Trainer<E, B> {

    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    /**
     * What to do when a loss or gradient is NaN or infinite, or a layer meets a NaN or infinity in its
     * input (a {@link NonFiniteValueException}: bad data, or activations that diverged).
     */
    public enum OnNonFinite {
        /** Throw a {@link NonFiniteException} naming the step and the parameter (the default). */
        STOP,
        /** Drop the step's gradients, leave the weights and the optimizer untouched, and go on. */
        SKIP
    }

    private final Trainable<B> model;
    private final Function<List<E>, B> collate;
    private final Optimizer optimizer;
    /** The optimizer's state when the trainer was built, where every {@link #fit} starts it. */
    private final Map<String, Tensor> initialOptimizerState;
    private final double learningRate;
    private final LearningRateSchedule schedule;
    private final List<GradientTransform> transforms;
    private final UnrollingStrategy unrolling;
    private final String unrollingName;
    private final DecoderInputPolicy decoderInputs;
    private final int epochs;
    private final BatchSampler sampler;
    private final int batchSize;
    private final long seed;
    private final List<E> validation;
    private final double validationFraction;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final List<TrainingListener> listeners;
    private final OnNonFinite onNonFinite;
    private final Path checkpointDirectory;
    private final long checkpointEverySteps;
    private final int keepCheckpoints;
    private final List<Parameter> parameters;

    private final TrainingState state = new TrainingState();
    /** The thread running {@link #fit} or {@link #resume}, or null. */
    private final java.util.concurrent.atomic.AtomicReference<Thread> runner = new java.util.concurrent.atomic.AtomicReference<>();

    private Trainer(Builder<E, B> b) {
        this.model = b.model;
        this.collate = b.collate;
        this.optimizer = b.optimizer;
        this.initialOptimizerState = optimizer.state();
        this.learningRate = b.learningRate;
        this.schedule = b.schedule;
        this.transforms = List.copyOf(b.transforms);
        this.unrolling = b.unrolling;
        this.unrollingName = b.unrollingName;
        this.decoderInputs = b.decoderInputs;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.sampler = b.sampler != null ? b.sampler : BatchSampler.shuffled(b.batchSize, b.seed);
        this.validation = b.validation;
        this.validationFraction = b.validationFraction;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.restoreBest = b.restoreBest;
        this.listeners = List.copyOf(b.listeners);
        this.onNonFinite = b.onNonFinite;
        this.checkpointDirectory = b.checkpointDirectory;
        this.checkpointEverySteps = b.checkpointEverySteps;
        this.keepCheckpoints = b.keepCheckpoints;
        this.parameters = List.copyOf(model.parameters());
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("Trainer: the model has two parameters named '" + p.name()
                        + "'; checkpoints and optimizer state need unique names");
            }
        }
    }

    /**
     * Starts configuring a trainer.
     *
     * @param model   the model to fit
     * @param collate turns a list of examples into one batch (for example padding sequences)
     */
    public static <E, B> Builder<E, B> builder(Trainable<B> model, Function<List<E>, B> collate) {
        return new Builder<>(model, collate);
    }

    /**
     * Trains from step 0 on {@code data} (less the validation part, when a validation fraction is
     * set) for the configured number of epochs, or until early stopping. The optimizer starts from
     * its state when the trainer was built, so a second {@code fit} carries no moments over.
     *
     * @throws IllegalArgumentException when the data or the configuration cannot work, before any step
     * @throws NonFiniteException       when a loss, a gradient or a layer's input is not finite and the policy is
     *                                  {@link OnNonFinite#STOP}
     * @throws IOException              when a checkpoint cannot be written
     */
    public History fit(List<E> data) throws IOException {
        enter("fit");
        try {
            state.reset();
            optimizer.loadState(initialOptimizerState);
            return run(data, null);
        } finally {
            runner.set(null);
        }
    }

    /**
     * Continues the run saved in {@code checkpoint}: restores the weights, the optimizer state and
     * where training stood, then trains on as {@link #fit} would have. With the same data and
     * configuration the weights at the end equal those of an uninterrupted run, bit for bit.
     * Checkpoints in the checkpoint folder that come after {@code checkpoint} are renamed with the
     * suffix {@code .abandoned}: this run replaces them.
     *
     * @throws org.rnn4j.core.io.ModelFileException when the file is not a checkpoint of this model
     *                                              (a parameter missing, extra or mis-shaped, named)
     * @throws IllegalArgumentException             when the training examples or the batch size differ
     *                                              from the checkpoint's run
     */
    public History resume(Path checkpoint, List<E> data) throws IOException {
        enter("resume");
        try {
            Checkpoints.restore(checkpoint, parameters, optimizer, state, seed);
            return run(data, checkpoint);
        } finally {
            runner.set(null);
        }
    }

    /**
     * Makes this thread the trainer's runner.
     *
     * @throws IllegalStateException when another run is in progress
     */
    private void enter(String method) {
        if (!runner.compareAndSet(null, Thread.currentThread())) {
            throw new IllegalStateException(busy(method));
        }
    }

    private String busy(String method) {
        Thread other = runner.get();
        return "Trainer." + method + ": thread '" + Thread.currentThread().getName() + "' called a trainer that thread '"
                + (other == null ? "?" : other.getName()) + "' is running; a trainer runs one fit at a time";
    }

    /** Trains from where {@link #state} stands; {@code resumedFrom} is the checkpoint it was restored from, or null. */
    private History run(List<E> data, Path resumedFrom) throws IOException {
        Objects.requireNonNull(data, "data");
        List<E> train;
        List<E> held;
        if (validationFraction > 0) {
            int cut = (int) Math.round(data.size() * (1 - validationFraction));
            train = data.subList(0, cut);
            held = data.subList(cut, data.size());
            if (held.isEmpty()) {
                throw new IllegalArgumentException("Trainer: a validation fraction of " + validationFraction + " of "
                        + data.size() + " examples leaves no validation example");
            }
        } else {
            train = data;
            held = validation;
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("Trainer: the training data is empty (given " + data.size()
                    + " examples, validation fraction " + validationFraction + ")");
        }
        if (patience > 0 && held == null) {
            throw new IllegalArgumentException("Trainer: early stopping watches the validation loss; give validation "
                    + "data or a validation fraction");
        }
        if (state.trainExamples >= 0 && (state.trainExamples != train.size() || state.batchSize != batchSize)) {
            // The saved position within the epoch is a batch index: over other data it means other batches.
            throw new IllegalArgumentException("Trainer.resume: the checkpoint was made training on "
                    + state.trainExamples + " examples in batches of " + state.batchSize + ", given " + train.size()
                    + " in batches of " + batchSize + "; resume with the same data and batch size");
        }
        state.trainExamples = train.size();
        state.batchSize = batchSize;
        if (resumedFrom != null && checkpointDirectory != null) {
            // Later checkpoints there belong to the run this one abandons: never the newest, never pruned for it.
            Checkpoints.setAsideAfter(checkpointDirectory, resumedFrom);
        }
        if (state.epoch == 0 && state.batchInEpoch == 0 && state.step == 0) {
            checkBatches(train, held);
        }
        long lastSaved = state.step;
        while (state.epoch < epochs && !state.stopped) {
            List<int[]> batches = sampler.batches(train.size(), state.epoch);
            for (int k = state.batchInEpoch; k < batches.size(); k++) {
                B batch = collate.apply(pick(train, batches.get(k)));
                trainBatch(batch, k, batches.size());
                state.batchInEpoch = k + 1;
                if (checkpointDirectory != null && checkpointEverySteps > 0
                        && state.step - lastSaved >= checkpointEverySteps && k + 1 < batches.size()) {
                    save();
                    lastSaved = state.step;
                }
            }
            endEpoch(held);
            if (checkpointDirectory != null) {
                save();
                lastSaved = state.step;
            }
        }
        if (restoreBest && state.bestWeights != null) {
            for (Parameter p : parameters) {
                p.value().copyFrom(state.bestWeights.get(p.name()));
            }
        }
        return new History(List.copyOf(state.history), state.stopped, state.step, state.skipped);
    }

    /**
     * Collates every batch of the first epoch and the validation data once, so bad data, or a cut
     * the model cannot train in, fails before any step.
     */
    private void checkBatches(List<E> train, List<E> held) {
        for (int[] indexes : sampler.batches(train.size(), 0)) {
            B batch = collate.apply(pick(train, indexes));
            model.check(batch);
            int length = model.unrolledLength(batch);
            if (length > 1) {
                model.checkWindows(batch, windows(length));
            }
        }
        if (held != null) {
            for (int[] indexes : BatchSampler.sequential(batchSize).batches(held.size(), 0)) {
                model.check(collate.apply(pick(held, indexes)));
            }
        }
    }

    /**
     * The strategy's windows for {@code length} steps; a plugin's are refused unless their loss
     * ranges cover every step once, in order, as the model carries the state from one to the next.
     */
    private List<UnrollingStrategy.Window> windows(int length) {
        List<UnrollingStrategy.Window> windows = unrolling.windows(length);
        boolean inOrder = !windows.isEmpty();
        int covered = 0;
        for (UnrollingStrategy.Window w : windows) {
            inOrder &= w.lossStart() == covered && w.end() <= length;
            covered = w.end();
        }
        if (!inOrder || covered != length) {
            throw new IllegalStateException("unrolling '" + unrollingName + "' gave windows " + windows + " for "
                    + length + " steps; their loss ranges [lossStart, end) must cover steps 0 to " + length
                    + " once, in order");
        }
        return windows;
    }

    private void trainBatch(B batch, int index, int batches) {
        int length = model.unrolledLength(batch);
        List<UnrollingStrategy.Window> windows = length == 1
                ? List.of(new UnrollingStrategy.Window(0, 0, 1))
                : windows(length);
        for (UnrollingStrategy.Window window : windows) {
            parameters.forEach(Parameter::zeroGrad);
            Trainable.Context context = new Trainable.Context(state.step, state.epoch, seed, decoderInputs);
            Trainable.Result result;
            NonFiniteValueException diverged = null;
            try {
                result = model.train(batch, window, context);
            } catch (NonFiniteValueException e) {
                // A layer met a NaN or infinity on its way in: the same fault as a non-finite loss, found sooner.
                diverged = e;
                result = Trainable.Result.of(Double.NaN, 1);
            }
            if (result.count() == 0) {
                continue;
            }
            double norm = GradientNorms.global(parameters);
            double rate = schedule.rate(learningRate, state.step, state.epoch);
            String bad = diverged != null ? "forward pass met a non-finite value (" + diverged.getMessage() + ")"
                    : !Double.isFinite(result.loss()) ? "loss is " + result.loss()
                    : !Double.isFinite(norm) ? "gradient of parameter '" + firstNonFinite() + "' is not finite" : null;
            if (bad != null) {
                String where = "step " + state.step + " (epoch " + state.epoch + ", batch " + index + ", window "
                        + window + ")";
                if (onNonFinite == OnNonFinite.STOP) {
                    NonFiniteException stop = new NonFiniteException("Trainer: " + bad + " at " + where
                            + "; lower the learning rate, clip gradients, or skip such steps with OnNonFinite.SKIP",
                            state.step, Double.isFinite(result.loss()) ? firstNonFinite() : null);
                    stop.initCause(diverged);
                    throw stop;
                }
                LOG.log(System.Logger.Level.WARNING, "skipping " + where + ": " + bad);
                parameters.forEach(Parameter::zeroGrad);
                state.skipped++;
                emit(new TrainingListener.StepEvent(state.step, state.epoch, index, batches, result.loss(), norm, 0,
                        rate, true));
                continue;
            }
            double clipped = norm;
            for (GradientTransform transform : transforms) {
                clipped = transform.apply(parameters).normAfter();
            }
            optimizer.step(parameters, rate);
            state.step++;
            state.trainSum.add(result.loss(), result.count(), result.correct());
            emit(new TrainingListener.StepEvent(state.step, state.epoch, index, batches, result.loss(), norm, clipped,
                    rate, false));
        }
    }

    private void endEpoch(List<E> held) {
        Metrics trainMetrics = state.trainSum.metrics();
        Metrics validationMetrics = held == null ? null : evaluate(held);
        boolean improved = false;
        if (validationMetrics != null) {
            improved = validationMetrics.loss() < state.bestLoss - minDelta;
            if (improved) {
                state.bestLoss = validationMetrics.loss();
                state.badEpochs = 0;
                if (restoreBest && patience > 0) {
                    state.bestWeights = new java.util.LinkedHashMap<>();
                    for (Parameter p : parameters) {
                        state.bestWeights.put(p.name(), p.value().copy());
                    }
                }
            } else {
                state.badEpochs++;
                state.stopped = patience > 0 && state.badEpochs >= patience;
            }
        }
        TrainingListener.EpochEvent event = new TrainingListener.EpochEvent(state.epoch, trainMetrics, validationMetrics,
                improved, state.step, state.skipped);
        state.history.add(event);
        state.epoch++;
        state.batchInEpoch = 0;
        state.trainSum = new Metrics.Sum();
        for (TrainingListener listener : listeners) {
            listener.onEpoch(event);
        }
    }

    /**
     * Loss and metrics of the model on {@code data}, in batches of the configured size, without gradients.
     *
     * @throws IllegalStateException when another thread is running {@link #fit}, {@link #resume} or this
     */
    public Metrics evaluate(List<E> data) {
        // Called from outside a run, it holds the trainer as a run does, so that no fit starts
        // changing the weights it reads; from inside one (validation), the run already holds it.
        boolean outside = runner.get() != Thread.currentThread();
        if (outside) {
            enter("evaluate");
        }
        try {
            if (data.isEmpty()) {
                throw new IllegalArgumentException("Trainer.evaluate: the data is empty");
            }
            Metrics.Sum sum = new Metrics.Sum();
            for (int[] indexes : BatchSampler.sequential(batchSize).batches(data.size(), 0)) {
                Trainable.Result r = model.evaluate(collate.apply(pick(data, indexes)));
                sum.add(r.loss(), r.count(), r.correct());
            }
            return sum.metrics();
        } finally {
            if (outside) {
                runner.set(null);
            }
        }
    }

    private void save() throws IOException {
        Path file = Checkpoints.save(checkpointDirectory, parameters, optimizer, state, seed);
        Checkpoints.prune(checkpointDirectory, keepCheckpoints, file);
        LOG.log(System.Logger.Level.DEBUG, "checkpoint " + file);
    }

    private void emit(TrainingListener.StepEvent event) {
        for (TrainingListener listener : listeners) {
            listener.onStep(event);
        }
    }

    private String firstNonFinite() {
        for (Parameter p : parameters) {
            for (float g : p.grad().data()) {
                if (!Float.isFinite(g)) {
                    return p.name();
                }
            }
        }
        return null;
    }

    /** The sampler's batch of examples; an index outside the data is the sampler's fault, not the caller's. */
    private static <E> List<E> pick(List<E> data, int[] indexes) {
        try {
            return Batches.select(data, indexes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Trainer: the batch sampler gave a bad index for " + data.size()
                    + " examples: " + e.getMessage(), e);
        }
    }

    /**
     * What a run produced.
     *
     * @param epochs       one event per completed epoch, in order (of this run and, after a resume, the runs before)
     * @param stoppedEarly whether early stopping ended the run
     * @param steps        optimizer steps taken in all
     * @param skipped      steps skipped for non-finite values
     */
    public record History(List<TrainingListener.EpochEvent> epochs, boolean stoppedEarly, long steps, long skipped) {

        /** The last completed epoch. */
        public TrainingListener.EpochEvent last() {
            if (epochs.isEmpty()) {
                throw new IllegalStateException("History: no epoch completed");
            }
            return epochs.getLast();
        }
    }

    /** Where a run stands; what a checkpoint saves besides the weights and the optimizer. */
    static final class TrainingState {
        long step;
        int epoch;
        int batchInEpoch;
        long skipped;
        double bestLoss;
        int badEpochs;
        boolean stopped;
        Metrics.Sum trainSum;
        java.util.Map<String, Tensor> bestWeights;
        /** The training examples and batch size the run's batches were cut from; -1 before it starts. */
        int trainExamples;
        int batchSize;
        final List<TrainingListener.EpochEvent> history = new ArrayList<>();

        TrainingState() {
            reset();
        }

        /** Takes over everything {@code saved} holds. */
        void set(TrainingState saved) {
            step = saved.step;
            epoch = saved.epoch;
            batchInEpoch = saved.batchInEpoch;
            skipped = saved.skipped;
            bestLoss = saved.bestLoss;
            badEpochs = saved.badEpochs;
            stopped = saved.stopped;
            trainSum = saved.trainSum;
            bestWeights = saved.bestWeights;
            trainExamples = saved.trainExamples;
            batchSize = saved.batchSize;
            history.clear();
            history.addAll(saved.history);
        }

        void reset() {
            step = 0;
            epoch = 0;
            batchInEpoch = 0;
            skipped = 0;
            bestLoss = Double.POSITIVE_INFINITY;
            badEpochs = 0;
            stopped = false;
            trainSum = new Metrics.Sum();
            bestWeights = null;
            trainExamples = -1;
            batchSize = -1;
            history.clear();
        }
    }

    /**
     * Configures a {@link Trainer}. Defaults: {@code adam} at rate 1e-3, constant schedule, no
     * gradient transform, {@code bptt}, {@code teacher-forcing}, 10 epochs, shuffled batches of 32,
     * seed 42, no validation, no early stopping, stop on non-finite values, no checkpoints.
     */
    public static final class Builder<E, B> {
        private final Trainable<B> model;
        private final Function<List<E>, B> collate;
        private Optimizer optimizer = Registries.optimizers().get("adam").create(Options.empty());
        private double learningRate = 1e-3;
        private LearningRateSchedule schedule = Registries.learningRateSchedules().get("constant").create(Options.empty());
        private final List<GradientTransform> transforms = new ArrayList<>();
        private UnrollingStrategy unrolling = Registries.unrolling().get("bptt").create(Options.empty());
        private String unrollingName = "bptt";
        private DecoderInputPolicy decoderInputs = Registries.decoderInputPolicies().get("teacher-forcing").create(Options.empty());
        private int epochs = 10;
        private int batchSize = 32;
        private BatchSampler sampler;
        private long seed = 42;
        private List<E> validation;
        private double validationFraction;
        private int patience;
        private double minDelta;
        private boolean restoreBest = true;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private OnNonFinite onNonFinite = OnNonFinite.STOP;
        private Path checkpointDirectory;
        private long checkpointEverySteps;
        private int keepCheckpoints = 3;

        private static Options requireOptions(Options options) {
            return Objects.requireNonNull(options, "options (Options.empty() for none)");
        }

        private Builder(Trainable<B> model, Function<List<E>, B> collate) {
            this.model = Objects.requireNonNull(model, "model");
            this.collate = Objects.requireNonNull(collate, "collate");
        }

        /** The optimizer, by plugin name ({@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop}, {@code adagrad}, ...). */
        public Builder<E, B> optimizer(String name, Options options) {
            this.optimizer = Registries.optimizers().get(name).create(requireOptions(options));
            return this;
        }

        /** The optimizer, as an instance (for one not registered as a plugin). */
        public Builder<E, B> optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** The base learning rate, {@code > 0}, which the schedule scales. */
        public Builder<E, B> learningRate(double learningRate) {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("Trainer: learning rate must be finite and > 0, given " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /** The learning-rate schedule, by plugin name ({@code constant}, {@code step}, {@code exponential}, {@code cosine}, {@code warmup}). */
        public Builder<E, B> schedule(String name, Options options) {
            this.schedule = Registries.learningRateSchedules().get(name).create(requireOptions(options));
            return this;
        }

        /** Adds a gradient transform, by plugin name ({@code clip-norm}, {@code clip-value}); transforms run in the order added. */
        public Builder<E, B> gradientTransform(String name, Options options) {
            transforms.add(Registries.gradientTransforms().get(name).create(requireOptions(options)));
            return this;
        }

        /** The unrolling strategy, by plugin name ({@code bptt}, {@code truncated-bptt}). */
        public Builder<E, B> unrolling(String name, Options options) {
            this.unrolling = Registries.unrolling().get(name).create(requireOptions(options));
            this.unrollingName = name;
            return this;
        }

        /** The decoder input policy, by plugin name ({@code teacher-forcing}, {@code free-running}, {@code scheduled-sampling}). */
        public Builder<E, B> decoderInputs(String name, Options options) {
            this.decoderInputs = Registries.decoderInputPolicies().get(name).create(requireOptions(options));
            return this;
        }

        /** Number of epochs, {@code >= 1}. */
        public Builder<E, B> epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 1, given " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Mini-batch size, {@code >= 1}; also the batch size of validation. */
        public Builder<E, B> batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("Trainer: batch size must be >= 1, given " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How the training data is cut into batches (default: shuffled by the seed, of the batch size). */
        public Builder<E, B> sampler(BatchSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        /** The seed of everything random in training. */
        public Builder<E, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Held-out data evaluated after every epoch. */
        public Builder<E, B> validation(List<E> validation) {
            if (validation.isEmpty()) {
                throw new IllegalArgumentException("Trainer: the validation data is empty");
            }
            this.validation = List.copyOf(validation);
            this.validationFraction = 0;
            return this;
        }

        /**
         * Holds out the last {@code fraction} of the data, in the given order, for validation (so a
         * time series stays chronological; shuffle unordered data first).
         */
        public Builder<E, B> validationFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("Trainer: validation fraction must be in (0, 1), given " + fraction);
            }
            this.validationFraction = fraction;
            this.validation = null;
            return this;
        }

        /**
         * Stops when the validation loss has not improved by more than {@code minDelta} for
         * {@code patience} epochs, then restores the best weights (see {@link #restoreBest}).
         */
        public Builder<E, B> earlyStopping(int patience, double minDelta) {
            if (patience < 1 || !(minDelta >= 0)) {
                throw new IllegalArgumentException("Trainer: early stopping needs patience >= 1 and minDelta >= 0, given "
                        + patience + " and " + minDelta);
            }
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Whether early stopping puts back the weights of the best validation epoch (default true). */
        public Builder<E, B> restoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /** Adds a listener. */
        public Builder<E, B> listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** What to do on a non-finite loss or gradient (default {@link OnNonFinite#STOP}). */
        public Builder<E, B> onNonFinite(OnNonFinite policy) {
            this.onNonFinite = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Saves a checkpoint into {@code directory} after every epoch and, when {@code everySteps > 0},
         * every that many steps within an epoch; keeps the newest {@code keep}.
         */
        public Builder<E, B> checkpoints(Path directory, long everySteps, int keep) {
            if (everySteps < 0 || keep < 1) {
                throw new IllegalArgumentException("Trainer: checkpoints need everySteps >= 0 and keep >= 1, given "
                        + everySteps + " and " + keep);
            }
            this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
            this.checkpointEverySteps = everySteps;
            this.keepCheckpoints = keep;
            return this;
        }

        /** Builds the trainer. */
        public Trainer<E, B> build() {
            return new Trainer<>(this);
        }
    }
}
