package org.rnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Memory;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Shapes;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.Registries;
import org.rnn4j.spi.cell.CellProvider;
import org.rnn4j.spi.cell.CellSpec;
import org.rnn4j.spi.cell.RecurrentCell;
import org.rnn4j.spi.cell.SequenceKernel;

/**
 * A recurrent layer: any cell, built-in or plugin, run over batch-first sequences {@code [B, T, I]},
 * optionally stacked ({@code layers}) and bidirectional, with PyTorch's conventions for state
 * shapes ({@code [L*D, B, H]}, slice {@code l*D + d}) and parameter names ({@code weight_ih_l0},
 * {@code bias_hh_l1_reverse}, ...), so weights interchange with PyTorch's {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU}.
 *
 * <p>{@link #forward} returns a {@link RecurrentOutput} holding the whole output sequence, the
 * last output of each sequence and the final states, and, when training, the backward pass.
 * Inference only reads the parameters: one layer may serve many threads at once. Training
 * (backward passes accumulate into the parameters' gradients) belongs to one thread.
 */
public final class Recurrent {

    private static final System.Logger LOG = System.getLogger(Recurrent.class.getName());

    private final String cellName;
    private final int inputSize;
    private final int hiddenSize;
    private final int layers;
    private final int directions;
    private final Merge merge;
    private final double dropout;
    private final RecurrentCell[][] cells;
    private final List<Parameter> parameters;
    private final List<String> stateNames;
    private final long seed;
    private final Options options;
    private final AtomicLong dropoutCalls = new AtomicLong();

    private Recurrent(Builder b) {
        this.cellName = b.cellName;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.layers = b.layers;
        this.directions = b.bidirectional ? 2 : 1;
        this.merge = b.merge;
        this.dropout = b.dropout;
        this.seed = b.seed;
        this.options = b.options;
        // Grown layer by layer rather than allocated for all layers at once, so that a layer count read
        // from a file costs memory only as its cells are built (and charged to a loader's budget).
        List<RecurrentCell[]> built = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(b.seed);
        for (int l = 0; l < layers; l++) {
            built.add(new RecurrentCell[directions]);
            for (int d = 0; d < directions; d++) {
                int in = l == 0 ? inputSize : mergedSize();
                RecurrentCell cell = b.provider.create(new CellSpec(in, hiddenSize, b.options, seeds.nextLong()));
                if (cell == null) {
                    throw new IllegalStateException("cell '" + cellName + "': its provider "
                            + b.provider.getClass().getName() + " returned null");
                }
                if (cell.inputSize() != in || cell.hiddenSize() != hiddenSize) {
                    throw new IllegalStateException("cell '" + cellName + "' was asked for sizes (" + in + ", "
                            + hiddenSize + ") and made (" + cell.inputSize() + ", " + cell.hiddenSize() + ")");
                }
                built.get(l)[d] = cell;
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                for (Parameter p : cell.parameters()) {
                    params.add(p.renamed(p.name() + suffix));
                }
            }
        }
        this.cells = built.toArray(new RecurrentCell[0][]);
        this.parameters = Collections.unmodifiableList(params);
        this.stateNames = List.copyOf(cells[0][0].stateNames());
    }

    /** Starts a layer of the cell registered under {@code cell} ({@code rnn}, {@code lstm}, {@code gru}, or a plugin's name). */
    public static Builder builder(String cell) {
        return new Builder(cell, Registries.cells().get(cell));
    }

    /**
     * Starts a layer of cells made by {@code provider}, bypassing the registry (for a provider that
     * is not registered, or one of a host's own {@link org.rnn4j.spi.PluginRegistry}). A saved
     * layer records only {@code name}, and {@link #load} finds the cell by that name in
     * {@link Registries#cells()}: a file of an unregistered cell does not load back.
     */
    public static Builder builder(String name, CellProvider provider) {
        return new Builder(name, Objects.requireNonNull(provider, "provider"));
    }

    /** Configures a {@link Recurrent} layer; sizes are required, the rest has PyTorch's defaults. */
    public static final class Builder {
        /** A size not set yet, told apart from a bad one in messages. */
        private static final int UNSET = Integer.MIN_VALUE;

        private final String cellName;
        private final CellProvider provider;
        private int inputSize = UNSET;
        private int hiddenSize = UNSET;
        private int layers = 1;
        private boolean bidirectional;
        private Merge merge = Merge.CONCAT;
        private double dropout;
        private Options options = Options.empty();
        private long seed = 42;

        private Builder(String cellName, CellProvider provider) {
            this.cellName = cellName;
            this.provider = provider;
        }

        /** Features per step of the input ({@code I}), required. */
        public Builder inputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /** Size of the hidden state ({@code H}), required. */
        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /** Number of stacked layers ({@code L}, default 1). */
        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Whether each layer also runs in reverse ({@code D = 2}); default false. */
        public Builder bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        /** How a bidirectional layer merges its two outputs (default {@link Merge#CONCAT}). */
        public Builder merge(Merge merge) {
            this.merge = Objects.requireNonNull(merge, "merge");
            return this;
        }

        /**
         * Dropout probability on the inputs of layers 2..L during training (default 0); with one
         * layer it has nothing to apply to, and building logs a warning, as PyTorch does.
         */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Options for the cells, such as {@code nonlinearity=relu} or {@code init=pytorch}. */
        public Builder options(Options options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Seed of the parameter initialization and of dropout (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the layer, creating one cell per layer and direction.
         *
         * @throws IllegalArgumentException when a size or the dropout is out of range, or a cell option is invalid
         */
        public Recurrent build() {
            if (inputSize < 1) {
                throw new IllegalArgumentException("Recurrent '" + cellName + "': inputSize must be >= 1, given "
                        + given(inputSize));
            }
            if (hiddenSize < 1) {
                throw new IllegalArgumentException("Recurrent '" + cellName + "': hiddenSize must be >= 1, given "
                        + given(hiddenSize));
            }
            if (layers < 1) {
                throw new IllegalArgumentException("Recurrent '" + cellName + "': layers must be >= 1, given " + layers);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("Recurrent '" + cellName + "': dropout must be in [0, 1), given " + dropout);
            }
            if (dropout > 0 && layers == 1) {
                LOG.log(System.Logger.Level.WARNING, "Recurrent ''{0}'': dropout {1} has no effect with one layer;"
                        + " it applies between stacked layers", cellName, dropout);
            }
            return new Recurrent(this);
        }

        private static String given(int size) {
            return size == UNSET ? "none (not set)" : Integer.toString(size);
        }
    }

    /** Registry name of the cell. */
    public String cellName() {
        return cellName;
    }

    /** Features per input step. */
    public int inputSize() {
        return inputSize;
    }

    /** Hidden size of every cell. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** Number of stacked layers. */
    public int layers() {
        return layers;
    }

    /** 1, or 2 when bidirectional. */
    public int directions() {
        return directions;
    }

    /** How directions are merged. */
    public Merge merge() {
        return merge;
    }

    /** Features per output step: {@code 2H} for concatenated directions, else {@code H}. */
    public int outputSize() {
        return mergedSize();
    }

    /** Names of the states, output first: {@code [h]} or {@code [h, c]}. */
    public List<String> stateNames() {
        return stateNames;
    }

    /** Every parameter under its PyTorch state-dict name, in PyTorch's order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The cell of layer {@code layer}, direction {@code direction} (0 forward, 1 reverse).
     *
     * @throws IllegalArgumentException when the layer has no such layer or direction
     */
    public RecurrentCell cell(int layer, int direction) {
        if (layer < 0 || layer >= layers || direction < 0 || direction >= directions) {
            throw new IllegalArgumentException("Recurrent.cell: the layer has layers [0, " + layers + ") and directions [0, "
                    + directions + "), given layer " + layer + ", direction " + direction);
        }
        return cells[layer][direction];
    }

    private int mergedSize() {
        return directions == 2 && merge == Merge.CONCAT ? 2 * hiddenSize : hiddenSize;
    }

    /**
     * Runs the layer on full-length sequences from zero states, for inference.
     *
     * @param input {@code [B, T, I]}
     */
    public RecurrentOutput forward(Tensor input) {
        return forward(input, null, null, false);
    }

    /**
     * Runs the layer.
     *
     * @param input        {@code [B, T, I]}, batch first
     * @param lengths      real length of each sequence ({@code [0, T]}, padding at the end), or null for all {@code T}
     * @param initialState initial states by name ({@code h}, {@code c}), each {@code [L*D, B, H]}; null or
     *                     a missing name means zeros
     * @param training     whether to keep what {@link RecurrentOutput#backward} needs and apply dropout
     * @throws IllegalArgumentException when a shape, a length or a state name does not fit, naming it; when
     *                                  the input (its padded steps too: pad with zeros) or an initial state holds
     *                                  a NaN or infinity (see {@link Finite});
     *                                  and, before allocating, when the pass would need more than the heap's maximum
     */
    public RecurrentOutput forward(Tensor input, int[] lengths, Map<String, Tensor> initialState, boolean training) {
        // Only training runs draw masks, so inference between them leaves the sequence of masks as it is.
        long dropoutSeed = training ? seed ^ (0x9E3779B97F4A7C15L * dropoutCalls.incrementAndGet()) : seed;
        return forward(input, lengths, initialState, training, dropoutSeed);
    }

    /**
     * Runs the layer with dropout masks drawn from {@code dropoutSeed}, so that a trainer can derive
     * them from its own seed and step and repeat them exactly after a resume.
     *
     * @see #forward(Tensor, int[], Map, boolean)
     */
    public RecurrentOutput forward(Tensor input, int[] lengths, Map<String, Tensor> initialState, boolean training,
                                   long dropoutSeed) {
        String op = "Recurrent '" + cellName + "'.forward";
        Shapes.requireRank(op, "input", input, 3);
        int b = input.dim(0);
        int t = input.dim(1);
        if (input.dim(2) != inputSize) {
            throw new IllegalArgumentException(op + ": input has " + input.dim(2) + " features, the layer expects "
                    + inputSize + " (input shape " + Arrays.toString(input.shape()) + ")");
        }
        Map<String, Tensor> initial = initialState == null ? Map.of() : initialState;
        for (String name : initial.keySet()) {
            if (!stateNames.contains(name)) {
                throw new IllegalArgumentException(op + ": unknown initial state '" + name + "'; the states are " + stateNames);
            }
            if (initial.get(name) == null) {
                throw new IllegalArgumentException(op + ": initial state '" + name + "' is null; leave the key out for zeros");
            }
            Shapes.require(op, "initial state '" + name + "'", initial.get(name), layers * directions, b, hiddenSize);
            Finite.require(op, "initial state '" + name + "'", initial.get(name));
        }
        if (lengths != null && lengths.length != b) {
            throw new IllegalArgumentException(op + ": lengths has " + lengths.length + " entries, the batch has " + b);
        }
        for (int r = 0; lengths != null && r < b; r++) {
            if (lengths[r] < 0 || lengths[r] > t) {
                throw new IllegalArgumentException(op + ": lengths[" + r + "] must be in [0, " + t + "], given " + lengths[r]
                        + " (the input has T = " + t + " steps)");
            }
        }
        Finite.require(op, "input", input);
        Memory.requireHeap(op, "the outputs and workspace of input", input.shape(), workspace(b, t, training));
        int states = stateNames.size();
        RecurrentOutput.Run run = new RecurrentOutput.Run(this, b, t, training);
        Tensor layerInput = input;
        SplittableRandom dropoutRng = training && dropout > 0 && layers > 1
                ? new SplittableRandom(dropoutSeed)
                : null;
        for (int l = 0; l < layers; l++) {
            if (l > 0 && dropoutRng != null) {
                float[] mask = dropoutMask(layerInput.size(), dropoutRng);
                run.dropoutMasks[l] = mask;
                Tensor dropped = Tensor.zeros(layerInput.shape());
                for (int i = 0; i < mask.length; i++) {
                    dropped.data()[i] = layerInput.data()[i] * mask[i];
                }
                layerInput = dropped;
            }
            for (int d = 0; d < directions; d++) {
                int slot = l * directions + d;
                Tensor[] init = new Tensor[states];
                for (int s = 0; s < states; s++) {
                    Tensor all = initial.get(stateNames.get(s));
                    init[s] = all == null ? null : slice(all, slot, b);
                }
                Tensor[] fin = new Tensor[states];
                for (int s = 0; s < states; s++) {
                    fin[s] = Tensor.zeros(b, hiddenSize);
                }
                Tensor out = Tensor.zeros(b, t, hiddenSize);
                SequenceKernel kernel = cells[l][d].sequenceKernel();
                run.backwards[slot] = kernel.forward(layerInput, lengths, d == 1, init, out, fin, training);
                run.outputs[slot] = out;
                run.finals[slot] = fin;
            }
            layerInput = mergeDirections(run.outputs, l, b, t);
        }
        return new RecurrentOutput(run, layerInput);
    }

    /**
     * About the floats a pass holds at once, per step of each sequence: per layer its input, per
     * direction its output, and the merged output; in training also what a direction keeps for its
     * backward pass, about what the built-in cells keep (GRU keeps its recurrent projections and
     * their gradients too): gate activations and then their gradients, as wide as the cell's widest
     * weight (4H for LSTM's gates), its input and its states. Inference keeps no per-step buffers
     * but its output (its gate buffers hold one step at lengths where that matters). An estimate
     * for failing early, not a bound.
     */
    private long workspace(int b, int t, boolean training) {
        long width = 0;
        for (Parameter p : cells[0][0].parameters()) {
            width = Math.max(width, p.shape().length == 0 ? 1 : p.shape()[0]);
        }
        long perStep = 0;
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? inputSize : mergedSize();
            long kept = training ? 2 * width + in + 2L * hiddenSize : 0;
            perStep += in + directions * (hiddenSize + kept) + (directions == 2 ? mergedSize() : 0);
        }
        long steps = (long) b * t;
        return perStep > 0 && steps > Long.MAX_VALUE / perStep ? Long.MAX_VALUE : steps * perStep;
    }

    private float[] dropoutMask(int n, SplittableRandom rng) {
        float keep = (float) (1.0 / (1.0 - dropout));
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextDouble() < dropout ? 0f : keep;
        }
        return mask;
    }

    private Tensor slice(Tensor all, int slot, int b) {
        int size = b * hiddenSize;
        return Tensor.wrap(Arrays.copyOfRange(all.data(), slot * size, (slot + 1) * size), b, hiddenSize);
    }

    /** Merges the directions of layer {@code l} into the layer's output. */
    Tensor mergeDirections(Tensor[] outputs, int l, int b, int t) {
        Tensor fwd = outputs[l * directions];
        if (directions == 1) {
            return fwd;
        }
        Tensor rev = outputs[l * directions + 1];
        int h = hiddenSize;
        if (merge == Merge.CONCAT) {
            Tensor y = Tensor.zeros(b, t, 2 * h);
            for (int r = 0; r < b * t; r++) {
                System.arraycopy(fwd.data(), r * h, y.data(), r * 2 * h, h);
                System.arraycopy(rev.data(), r * h, y.data(), r * 2 * h + h, h);
            }
            return y;
        }
        Tensor y = Tensor.zeros(b, t, h);
        float[] f = fwd.data();
        float[] v = rev.data();
        float[] o = y.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = switch (merge) {
                case SUM -> f[i] + v[i];
                case MUL -> f[i] * v[i];
                case AVERAGE -> 0.5f * (f[i] + v[i]);
                case CONCAT -> throw new AssertionError();
            };
        }
        return y;
    }

    /**
     * A stream that advances this layer one step at a time for {@code batch} sequences, starting
     * from zero states.
     *
     * @throws IllegalStateException when the layer is bidirectional (the reverse direction needs the whole sequence)
     * @throws IllegalArgumentException when {@code batch < 1}
     */
    public RecurrentStream stream(int batch) {
        if (directions == 2) {
            throw new IllegalStateException("Recurrent '" + cellName + "'.stream: a bidirectional layer needs the whole"
                    + " sequence; streaming runs unidirectional layers only");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("Recurrent '" + cellName + "'.stream: batch must be >= 1, given " + batch);
        }
        return new RecurrentStream(this, batch);
    }

    /** The parameters as a PyTorch-style state dict: name to value (shared, not copied), in order. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> dict = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            dict.put(p.name(), p.value());
        }
        return dict;
    }

    /**
     * Copies values from a state dict into the parameters. Every parameter must be present with its
     * exact shape, and nothing else may be there (keys starting with {@code prefix} are considered;
     * the rest is ignored, so one file can hold a whole model).
     *
     * @param prefix prefix of this layer's keys in {@code dict}, e.g. {@code "encoder."}; empty for none
     * @throws IllegalArgumentException listing every missing, unexpected and mis-shaped tensor
     */
    public void loadStateDict(Map<String, Tensor> dict, String prefix) {
        StateDicts.load("Recurrent '" + cellName + "'", parameters, dict, prefix);
    }

    /** Format name written into the metadata of saved layers. */
    static final String FORMAT = "rnn4j-recurrent";

    /**
     * Saves the layer as safetensors: the weights under PyTorch's names (so
     * {@code safetensors.torch.load_file} reads them straight into {@code nn.LSTM}) and the
     * configuration as string metadata. Written atomically (temporary file, fsync, rename).
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", "1");
        meta.putAll(config());
        org.rnn4j.core.io.SafeTensors.write(file, stateDict(), meta);
    }

    /**
     * The layer's configuration as strings ({@code cell}, {@code input_size}, {@code hidden_size},
     * {@code layers}, {@code bidirectional}, {@code merge}, {@code dropout}, {@code options} as JSON),
     * for model files; {@link #fromConfig} rebuilds the layer from it.
     */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("cell", cellName);
        config.put("input_size", Integer.toString(inputSize));
        config.put("hidden_size", Integer.toString(hiddenSize));
        config.put("layers", Integer.toString(layers));
        config.put("bidirectional", Boolean.toString(directions == 2));
        config.put("merge", merge.name().toLowerCase(java.util.Locale.ROOT));
        config.put("dropout", Double.toString(dropout));
        config.put("options", org.rnn4j.core.io.Json.write(options.asMap()));
        config.put("seed", Long.toString(seed));
        return config;
    }

    /**
     * Builds a layer, with fresh weights, from a configuration written by {@link #config}. The cell
     * is found by name in the registry; no class name is ever read.
     *
     * @throws IllegalArgumentException when a key is missing or a value is invalid, naming it
     */
    public static Recurrent fromConfig(Map<String, String> config) {
        try {
            Object options = org.rnn4j.core.io.Json.parse(Metadata.required(config, "options"));
            if (!(options instanceof Map<?, ?> optionMap)) {
                throw new IllegalArgumentException("Recurrent config: options must be a JSON object, given " + options);
            }
            Map<String, String> opts = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : optionMap.entrySet()) {
                if (!(e.getValue() instanceof String v)) {
                    throw new IllegalArgumentException("Recurrent config: option " + e.getKey() + " must be a string");
                }
                opts.put((String) e.getKey(), v);
            }
            return builder(Metadata.required(config, "cell"))
                    .inputSize(Metadata.integer(config, "input_size"))
                    .hiddenSize(Metadata.integer(config, "hidden_size"))
                    .layers(Metadata.integer(config, "layers"))
                    .bidirectional(Metadata.bool(config, "bidirectional"))
                    .merge(Metadata.choice(config, "merge", Merge.class))
                    .dropout(Metadata.decimal(config, "dropout"))
                    .options(Options.of(opts))
                    .seed(config.containsKey("seed") ? Metadata.longInteger(config, "seed") : 42)
                    .build();
        } catch (org.rnn4j.core.io.Json.JsonException e) {
            throw new IllegalArgumentException("Recurrent config: options are not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a layer saved by {@link #save}: the configuration from the metadata (the cell is found
     * by name in the registry; no class name is ever read from a file), then the weights. The layer
     * is built under a memory budget of twice the file's weights
     * ({@link org.rnn4j.core.io.SafeTensors.Contents#modelBudget}), so sizes in the metadata that do not
     * match the weights fail before a large allocation.
     *
     * @throws org.rnn4j.core.io.ModelFileException when the file is not a saved layer, names an unknown
     *                                              cell, or its weights do not fit the configuration
     */
    public static Recurrent load(java.nio.file.Path file) throws java.io.IOException {
        org.rnn4j.core.io.SafeTensors.Contents contents = org.rnn4j.core.io.SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new org.rnn4j.core.io.ModelFileException(file, "not a saved rnn4j recurrent layer: metadata format is "
                    + meta.get("format") + ", expected " + FORMAT + " (for weights alone, such as a PyTorch state dict,"
                    + " build the layer and call loadStateDict)");
        }
        Metadata.requireFormatVersion(file, meta, "recurrent layer", "1");
        try {
            Recurrent layer = org.rnn4j.core.Memory.withBudget(contents.modelBudget(), () -> fromConfig(meta));
            layer.loadStateDict(contents.tensors(), "");
            return layer;
        } catch (IllegalArgumentException e) {
            throw new org.rnn4j.core.io.ModelFileException(file, "cannot rebuild the layer: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Recurrent[" + cellName + ", " + inputSize + " -> " + hiddenSize
                + (layers > 1 ? ", layers=" + layers : "") + (directions == 2 ? ", bidirectional " + merge : "")
                + (dropout > 0 ? ", dropout=" + dropout : "") + "]";
    }
}
