package org.rnn4j.training;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.Json;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.spi.optim.Optimizer;

/**
 * The trainer's checkpoint files. A checkpoint is one safetensors file holding the weights
 * ({@code model.<name>}), the optimizer state ({@code optimizer.<key>}), the best weights so far
 * when early stopping keeps them ({@code best.<name>}), and in its metadata where training stood
 * (step, epoch, batch, running metrics, history) as JSON. Everything random in training derives
 * from the seed and the step, so no generator state needs saving. One file, written to a temporary
 * name, forced to disk and renamed, so a crash during a save leaves the previous checkpoints intact.
 */
public final class Checkpoints {

    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());
    private static final String FORMAT = "rnn4j-checkpoint/1";
    /** Suffix of a checkpoint set aside because the run was resumed from an earlier one. */
    static final String ABANDONED = ".abandoned";
    private static final Pattern NAME = Pattern.compile("checkpoint-s\\d{12}-e\\d{6}-b\\d{9}\\.safetensors");
    /** Temporary files of {@link org.rnn4j.core.io.AtomicFiles}: {@code .<final name>.<random>.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.checkpoint-s\\d{12}-e\\d{6}-b\\d{9}\\.safetensors\\.\\d+\\.tmp");

    private Checkpoints() {
    }

    /**
     * The newest checkpoint in {@code directory}, if any: the highest step (then epoch and batch).
     * Temporary files of an interrupted save are ignored.
     */
    public static Optional<Path> latest(Path directory) throws IOException {
        return list(directory).stream().reduce((a, b) -> b);
    }

    /** The checkpoints in {@code directory}, oldest first; empty when the directory does not exist. */
    public static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    static Path save(Path directory, List<Parameter> parameters, Optimizer optimizer, Trainer.TrainingState state,
                     long seed) throws IOException {
        Files.createDirectories(directory);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            tensors.put("model." + p.name(), p.value());
        }
        Set<String> names = new HashSet<>();
        parameters.forEach(p -> names.add(p.name()));
        optimizer.state().forEach((k, v) -> {
            // A built-in optimizer that also stepped another model's parameters holds their buffers
            // too: not this trainer's to save, and a resume refuses them.
            if (!(optimizer instanceof StatefulOptimizer) || k.equals(StatefulOptimizer.STEP) || names.contains(owner(k))) {
                tensors.put("optimizer." + k, v);
            }
        });
        if (state.bestWeights != null) {
            state.bestWeights.forEach((k, v) -> tensors.put("best." + k, v));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("trainer", Json.write(describe(state, seed)));
        Path file = directory.resolve(String.format("checkpoint-s%012d-e%06d-b%09d.safetensors",
                state.step, state.epoch, state.batchInEpoch));
        SafeTensors.write(file, tensors, metadata);
        return file;
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints up to {@code written}, the one just
     * saved, and the temporary files of saves that a crash interrupted (the trainer owns its folder,
     * and its own save has completed by now). Checkpoints after {@code written} belong to a run that
     * was resumed from an earlier point: they are renamed with the suffix {@value #ABANDONED}, kept
     * for the user but no longer taken for the newest, nor counted, nor deleted.
     */
    static void prune(Path directory, int keep, Path written) throws IOException {
        List<Path> all = list(directory);
        int at = all.indexOf(written);
        if (at < 0) {
            throw new IllegalStateException("Checkpoints.prune: " + written + " is not among the checkpoints in " + directory);
        }
        setAside(all.subList(at + 1, all.size()));
        for (int i = 0; i <= at - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(f -> TEMPORARY.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Sets aside the checkpoints in {@code directory} that come after {@code from} (a run resumed
     * from {@code from} replaces them), renamed with the suffix {@value #ABANDONED}.
     */
    static void setAsideAfter(Path directory, Path from) throws IOException {
        String name = from.getFileName().toString();
        setAside(list(directory).stream().filter(p -> p.getFileName().toString().compareTo(name) > 0).toList());
    }

    private static void setAside(List<Path> later) throws IOException {
        for (Path file : later) {
            Path aside = file.resolveSibling(file.getFileName() + ABANDONED);
            Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.WARNING, "checkpoint " + file.getFileName() + " is from a run resumed at an"
                    + " earlier point; renamed to " + aside.getFileName());
        }
    }

    /**
     * Restores weights, optimizer state and training state from {@code file}. Everything is read and
     * checked before anything changes, so a file that fails leaves the trainer as it was.
     */
    static void restore(Path file, List<Parameter> parameters, Optimizer optimizer, Trainer.TrainingState state,
                        long seed) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        if (!FORMAT.equals(contents.metadata().get("format"))) {
            throw new ModelFileException(file, "not an rnn4j checkpoint: metadata 'format' is "
                    + contents.metadata().get("format") + ", expected " + FORMAT);
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        TreeSet<String> unknown = new TreeSet<>();
        contents.tensors().forEach((name, tensor) -> {
            if (name.startsWith("model.")) {
                model.put(name.substring(6), tensor);
            } else if (name.startsWith("optimizer.")) {
                optimizerState.put(name.substring(10), tensor);
            } else if (name.startsWith("best.")) {
                best.put(name.substring(5), tensor);
            } else {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensors " + unknown);
        }
        requireMatches(file, "weights", parameters, model);
        if (!best.isEmpty()) {
            requireMatches(file, "best weights", parameters, best);
        }
        requireOptimizerShapes(file, parameters, optimizer, optimizerState);
        Trainer.TrainingState saved = trainerState(file, contents.metadata().get("trainer"), seed);
        try {
            optimizer.loadState(optimizerState);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "optimizer state does not fit this trainer's optimizer: " + e.getMessage(), e);
        }
        state.set(saved);
        for (Parameter p : parameters) {
            p.value().copyFrom(model.get(p.name()));
        }
        if (!best.isEmpty()) {
            state.bestWeights = new LinkedHashMap<>();
            best.forEach((k, v) -> state.bestWeights.put(k, v.copy()));
        }
    }

    /**
     * An optimizer buffer {@code <buffer>.<parameter>} must have its parameter's shape (step counts
     * aside); for the built-in optimizers, whose keys all follow that pattern, every buffer and step
     * count must also belong to a parameter of this trainer (a plugin's keys may name other things).
     */
    private static void requireOptimizerShapes(Path file, List<Parameter> parameters, Optimizer optimizer,
                                               Map<String, Tensor> state) throws ModelFileException {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        parameters.forEach(p -> byName.put(p.name(), p));
        TreeSet<String> orphans = new TreeSet<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (e.getKey().equals(StatefulOptimizer.STEP)) {
                continue;
            }
            Parameter p = byName.get(owner(e.getKey()));
            if (p == null) {
                orphans.add(e.getKey());
            } else if (!e.getKey().startsWith(StatefulOptimizer.STEP + ".") && !e.getValue().hasShape(p.shape())) {
                throw new ModelFileException(file, "optimizer state '" + e.getKey() + "' is "
                        + Arrays.toString(e.getValue().shape()) + ", parameter '" + p.name() + "' is "
                        + Arrays.toString(p.shape()));
            }
        }
        if (optimizer instanceof StatefulOptimizer && !orphans.isEmpty()) {
            throw new ModelFileException(file, "optimizer state " + orphans + " belongs to no parameter of this trainer;"
                    + " its parameters are " + byName.keySet());
        }
    }

    /** The parameter an optimizer state key {@code <buffer>.<parameter>} or {@code step.<parameter>} belongs to. */
    private static String owner(String key) {
        return key.substring(key.indexOf('.') + 1);
    }

    /** Where training stood, read from the metadata's JSON without touching the trainer. */
    private static Trainer.TrainingState trainerState(Path file, String json, long seed) throws ModelFileException {
        Object parsed;
        try {
            parsed = Json.parse(json == null ? "" : json);
        } catch (Json.JsonException e) {
            throw new ModelFileException(file, "the trainer state is not JSON: " + e.getMessage(), e);
        }
        Map<?, ?> trainer = object(file, parsed, "the trainer state");
        long savedSeed = integer(file, trainer, "seed", Long.MIN_VALUE);
        if (savedSeed != seed) {
            throw new ModelFileException(file, "the checkpoint was made with seed " + savedSeed
                    + ", this trainer has seed " + seed + "; resuming with another seed would not repeat the run");
        }
        Trainer.TrainingState state = new Trainer.TrainingState();
        state.step = integer(file, trainer, "step", 0);
        state.epoch = (int) integer(file, trainer, "epoch", 0, Integer.MAX_VALUE);
        state.batchInEpoch = (int) integer(file, trainer, "batch", 0, Integer.MAX_VALUE);
        // Absent from checkpoints written before they were recorded: then not checked.
        state.trainExamples = trainer.containsKey("train_examples")
                ? (int) integer(file, trainer, "train_examples", 0, Integer.MAX_VALUE) : -1;
        state.batchSize = trainer.containsKey("batch_size") ? (int) integer(file, trainer, "batch_size", 1, Integer.MAX_VALUE) : -1;
        state.skipped = integer(file, trainer, "skipped", 0);
        state.badEpochs = (int) integer(file, trainer, "bad_epochs", 0, Integer.MAX_VALUE);
        state.stopped = Boolean.TRUE.equals(trainer.get("stopped"));
        state.bestLoss = trainer.get("best_loss") == null ? Double.POSITIVE_INFINITY : real(file, trainer, "best_loss");
        Map<?, ?> sum = object(file, trainer.get("train_sum"), "train_sum");
        state.trainSum.lossSum = real(file, sum, "loss_sum");
        state.trainSum.count = integer(file, sum, "count", 0);
        state.trainSum.correct = integer(file, sum, "correct", 0);
        state.trainSum.classifies = Boolean.TRUE.equals(sum.get("classifies"));
        if (!(trainer.get("history") instanceof List<?> history)) {
            throw new ModelFileException(file, "the trainer state lacks the list 'history'");
        }
        for (Object e : history) {
            state.history.add(epochEvent(file, object(file, e, "a history entry")));
        }
        return state;
    }

    private static Map<?, ?> object(Path file, Object value, String what) throws ModelFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ModelFileException(file, what + " must be a JSON object, found " + value);
        }
        return map;
    }

    private static void requireMatches(Path file, String what, List<Parameter> parameters, Map<String, Tensor> saved)
            throws ModelFileException {
        TreeSet<String> missing = new TreeSet<>();
        List<String> misShaped = new ArrayList<>();
        for (Parameter p : parameters) {
            Tensor t = saved.get(p.name());
            if (t == null) {
                missing.add(p.name());
            } else if (!t.hasShape(p.shape())) {
                misShaped.add(p.name() + " is " + Arrays.toString(t.shape()) + ", the model has "
                        + Arrays.toString(p.shape()));
            }
        }
        TreeSet<String> extra = new TreeSet<>(saved.keySet());
        parameters.forEach(p -> extra.remove(p.name()));
        if (!missing.isEmpty() || !extra.isEmpty() || !misShaped.isEmpty()) {
            throw new ModelFileException(file, what + " do not fit the model: missing " + missing + ", unexpected "
                    + extra + ", mis-shaped " + misShaped);
        }
    }

    private static Map<String, Object> describe(Trainer.TrainingState state, long seed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", seed);
        json.put("step", state.step);
        json.put("epoch", state.epoch);
        json.put("batch", state.batchInEpoch);
        json.put("train_examples", state.trainExamples);
        json.put("batch_size", state.batchSize);
        json.put("skipped", state.skipped);
        json.put("bad_epochs", state.badEpochs);
        json.put("stopped", state.stopped);
        json.put("best_loss", Double.isFinite(state.bestLoss) ? state.bestLoss : null);
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("loss_sum", state.trainSum.lossSum);
        sum.put("count", state.trainSum.count);
        sum.put("correct", state.trainSum.correct);
        sum.put("classifies", state.trainSum.classifies);
        json.put("train_sum", sum);
        List<Object> history = new ArrayList<>();
        for (TrainingListener.EpochEvent e : state.history) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("epoch", e.epoch());
            event.put("train", metrics(e.train()));
            event.put("validation", e.validation() == null ? null : metrics(e.validation()));
            event.put("improved", e.improved());
            event.put("steps", e.steps());
            event.put("skipped", e.skipped());
            history.add(event);
        }
        json.put("history", history);
        return json;
    }

    private static Map<String, Object> metrics(Metrics m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("loss", Double.isFinite(m.loss()) ? m.loss() : null);
        json.put("count", m.count());
        json.put("accuracy", Double.isNaN(m.accuracy()) ? null : m.accuracy());
        return json;
    }

    private static TrainingListener.EpochEvent epochEvent(Path file, Map<?, ?> e) throws ModelFileException {
        return new TrainingListener.EpochEvent((int) integer(file, e, "epoch", 0, Integer.MAX_VALUE),
                metrics(file, object(file, e.get("train"), "'train'")),
                e.get("validation") == null ? null : metrics(file, object(file, e.get("validation"), "'validation'")),
                Boolean.TRUE.equals(e.get("improved")), integer(file, e, "steps", 0), integer(file, e, "skipped", 0));
    }

    private static Metrics metrics(Path file, Map<?, ?> m) throws ModelFileException {
        return new Metrics(m.get("loss") == null ? Double.NaN : real(file, m, "loss"), integer(file, m, "count", 0),
                m.get("accuracy") == null ? Double.NaN : real(file, m, "accuracy"));
    }

    private static BigDecimal number(Path file, Map<?, ?> json, String key) throws ModelFileException {
        if (!(json.get(key) instanceof BigDecimal n)) {
            throw new ModelFileException(file, "the trainer state lacks the number '" + key + "'");
        }
        return n;
    }

    private static double real(Path file, Map<?, ?> json, String key) throws ModelFileException {
        return number(file, json, key).doubleValue();
    }

    private static long integer(Path file, Map<?, ?> json, String key, long min) throws ModelFileException {
        return integer(file, json, key, min, Long.MAX_VALUE);
    }

    private static long integer(Path file, Map<?, ?> json, String key, long min, long max) throws ModelFileException {
        BigDecimal n = number(file, json, key);
        try {
            long v = n.longValueExact();
            if (v >= min && v <= max) {
                return v;
            }
        } catch (ArithmeticException e) {
            // not a whole number in range: reported below
        }
        throw new ModelFileException(file, "the trainer state's '" + key + "' is " + n + ", expected a whole number in ["
                + min + ", " + max + "]");
    }
}
