package org.rnn4j.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rnn4j.attention.Attention;
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
import org.rnn4j.nn.StateDicts;
import org.rnn4j.spi.Options;
import org.rnn4j.spi.UnknownPluginException;
import org.rnn4j.spi.training.DecoderInputPolicy;
import org.rnn4j.spi.training.Trainable;
import org.rnn4j.spi.training.UnrollingStrategy;
import org.rnn4j.training.Losses;

/**
 * An encoder-decoder (sequence-to-sequence) model over token sequences: a source embedding, any
 * {@link Recurrent} encoder (stacked, bidirectional), a {@link Bridge} from the encoder's final
 * states to the decoder's initial state, a target embedding, a decoder of any registered cell
 * (stacked if asked) unrolled one step at a time, optional attention of any registered scorer in
 * {@link AttentionStyle#LUONG Luong} or {@link AttentionStyle#BAHDANAU Bahdanau} style, and an
 * output layer over the target vocabulary.
 *
 * <p>Training ({@link #train}) feeds the decoder, at every step of every row, the ground truth or
 * the argmax of its own previous output, as the {@link DecoderInputPolicy} of the training
 * context decides (teacher forcing, free running and scheduled sampling are plugins); the choice
 * passes no gradient. The loss is the mean cross-entropy over the real target tokens, and its
 * gradient reaches every parameter. Inference is {@link #greedy} or {@link #beamSearch}; both
 * return the attention weights of every step.
 *
 * <p>Bridge choice: by default a unidirectional encoder of the decoder's hidden size hands its
 * final state over as it is ({@link Bridge#COPY}); any other encoder, bidirectional in particular,
 * goes through a learned projection {@code tanh(W [h_fwd; h_bwd] + b)} per decoder layer and state
 * ({@link Bridge#PROJECT}), which keeps the decoder unidirectional and of any size.
 *
 * <p>Parameters are named by part: {@code source_embedding.weight} ({@code embedding.weight} when
 * shared), {@code encoder.weight_ih_l0}, {@code bridge.h_l0.weight}, {@code target_embedding.weight},
 * {@code decoder.weight_ih_l0}, {@code attention.W}, {@code combine.weight} (Luong's {@code W_c}),
 * {@code output.weight}. Inference only reads parameters and may run on many threads at once;
 * training belongs to one thread. {@link #save} and {@link #load} keep the whole model in one
 * safetensors file.
 */
public final class Seq2Seq implements Trainable<Seq2SeqBatch> {

    /** Label of padded target steps in the loss. */
    private static final int IGNORE = -1;

    /** Format name written into the metadata of saved models. */
    private static final String FORMAT = "rnn4j-seq2seq";
    private static final String FORMAT_VERSION = "1";

    private final int sourceVocabulary;
    private final int targetVocabulary;
    private final int padId;
    private final int bosId;
    private final int eosId;
    private final double labelSmoothing;
    private final AttentionStyle style;
    private final Embedding sourceEmbedding;
    private final Recurrent encoder;
    private final BridgeLayer bridge;
    private final Decoder decoder;
    private final Search search;
    private final List<Parameter> parameters;
    /** The configuration as model-file metadata. */
    private final Map<String, String> metadata;

    private Seq2Seq(Builder b, Embedding sourceEmbedding, Embedding targetEmbedding, Recurrent decoderLayers,
                    BridgeLayer bridge, Attention attention, Dense combine, Dense output) {
        this.sourceVocabulary = b.sourceVocabulary;
        this.targetVocabulary = b.targetVocabulary;
        this.padId = b.padId;
        this.bosId = b.bosId;
        this.eosId = b.eosId;
        this.labelSmoothing = b.labelSmoothing;
        this.style = b.style;
        this.sourceEmbedding = sourceEmbedding;
        this.encoder = b.encoder;
        this.bridge = bridge;
        this.decoder = new Decoder(style, b.inputFeeding, targetEmbedding, decoderLayers, attention,
                encoder.outputSize(), combine, output);
        this.search = new Search(decoder, bosId, eosId);
        List<Parameter> params = new ArrayList<>();
        boolean shared = sourceEmbedding == targetEmbedding;
        add(params, shared ? "embedding." : "source_embedding.", sourceEmbedding.parameters());
        add(params, "encoder.", encoder.parameters());
        params.addAll(bridge.parameters());
        if (!shared) {
            add(params, "target_embedding.", targetEmbedding.parameters());
        }
        add(params, "decoder.", decoderLayers.parameters());
        if (attention != null) {
            add(params, "attention.", attention.parameters());
        }
        if (combine != null) {
            add(params, "combine.", combine.parameters());
        }
        add(params, "output.", output.parameters());
        this.parameters = Collections.unmodifiableList(params);
        this.metadata = b.metadata(targetEmbedding.dim(), bridge.mode());
    }

    private static void add(List<Parameter> into, String prefix, List<Parameter> params) {
        for (Parameter p : params) {
            into.add(p.renamed(prefix + p.name()));
        }
    }

    /** Starts a model; the encoder, the vocabularies and the decoder are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link Seq2Seq} model. */
    public static final class Builder {
        private Recurrent encoder;
        private int sourceVocabulary = -1;
        private int targetVocabulary = -1;
        private int targetEmbeddingSize = -1;
        private boolean shareEmbeddings;
        private String decoderCell;
        private int decoderHidden = -1;
        private int decoderLayers = 1;
        private Options decoderOptions = Options.empty();
        private AttentionStyle style = AttentionStyle.NONE;
        private String scorer;
        private Options scorerOptions = Options.empty();
        private int attentionSize = -1;
        private boolean inputFeeding = true;
        private Bridge bridge;
        private int padId = 0;
        private int bosId = 2;
        private int eosId = 3;
        private double labelSmoothing;
        private long seed = 42;

        private Builder() {
        }

        /**
         * The encoder, required: any unidirectional or bidirectional, single or stacked layer. The
         * source embedding's size is its input size; attention attends over its output. The model
         * trains the layer's own parameters, so a layer given to two models is shared by both.
         */
        public Builder encoder(Recurrent encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            return this;
        }

        /** Source and target vocabulary size, when they are one vocabulary. */
        public Builder vocabulary(int size) {
            return sourceVocabulary(size).targetVocabulary(size);
        }

        /** Number of source token ids. */
        public Builder sourceVocabulary(int size) {
            this.sourceVocabulary = size;
            return this;
        }

        /** Number of target token ids: the output layer's size. */
        public Builder targetVocabulary(int size) {
            this.targetVocabulary = size;
            return this;
        }

        /** Size of the target embedding (default: the encoder's input size). */
        public Builder targetEmbeddingSize(int size) {
            requireAtLeast("targetEmbeddingSize", size, 1);
            this.targetEmbeddingSize = size;
            return this;
        }

        /** Whether source and target share one embedding (needs equal vocabularies and sizes); default false. */
        public Builder shareEmbeddings(boolean share) {
            this.shareEmbeddings = share;
            return this;
        }

        /**
         * The decoder's cell, by registry name ({@code rnn}, {@code lstm}, {@code gru}, or a plugin's),
         * and hidden size; required.
         */
        public Builder decoder(String cell, int hiddenSize) {
            this.decoderCell = Objects.requireNonNull(cell, "cell");
            this.decoderHidden = hiddenSize;
            return this;
        }

        /** Stacked decoder layers (default 1); the encoder needs at least as many unless the bridge is {@link Bridge#ZEROS}. */
        public Builder decoderLayers(int layers) {
            this.decoderLayers = layers;
            return this;
        }

        /** Options for the decoder's cells, such as {@code init=pytorch}. */
        public Builder decoderOptions(Options options) {
            this.decoderOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Attention of {@code style} with the scorer registered as {@code scorer} ({@code dot},
         * {@code scaled-dot}, {@code general}, {@code additive}, or a plugin's). The query is the
         * decoder's hidden state and the keys are the encoder outputs, so {@code dot} needs equal
         * sizes. Without this call the model has no attention.
         *
         * @throws IllegalArgumentException when {@code style} is {@link AttentionStyle#NONE} (no scorer to name)
         */
        public Builder attention(AttentionStyle style, String scorer) {
            Objects.requireNonNull(style, "style");
            if (style == AttentionStyle.NONE) {
                throw new IllegalArgumentException("Seq2Seq: attention style NONE takes no scorer; leave attention(...) out"
                        + " for a model without attention, given scorer '" + scorer + "'");
            }
            this.scorer = Objects.requireNonNull(scorer, "scorer");
            this.style = style;
            return this;
        }

        /** Options of the scorer. */
        public Builder scorerOptions(Options options) {
            this.scorerOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Hidden size of scorers that have one ({@code additive}); default the decoder's hidden size. */
        public Builder attentionSize(int size) {
            requireAtLeast("attentionSize", size, 0); // 0: none, for scorers without a hidden size
            this.attentionSize = size;
            return this;
        }

        /** Luong input feeding: the previous attentional state joins the decoder input (default true; Luong only). */
        public Builder inputFeeding(boolean feed) {
            this.inputFeeding = feed;
            return this;
        }

        /** How the decoder's initial state is made (default {@link Bridge#COPY} where it fits, else {@link Bridge#PROJECT}). */
        public Builder bridge(Bridge bridge) {
            this.bridge = Objects.requireNonNull(bridge, "bridge");
            return this;
        }

        /**
         * The padding, begin- and end-of-sequence ids (default 0, 2, 3, as the project's
         * {@code Vocabulary} assigns them). Padding maps to a zero embedding.
         */
        public Builder specialTokens(int pad, int bos, int eos) {
            this.padId = pad;
            this.bosId = bos;
            this.eosId = eos;
            return this;
        }

        /**
         * Label smoothing of the loss, in {@code [0, 1)} (default 0). Evaluation reports the same
         * smoothed loss, so its bits and perplexity are of that loss.
         */
        public Builder labelSmoothing(double smoothing) {
            this.labelSmoothing = smoothing;
            return this;
        }

        /** Seed of every initialization (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the model.
         *
         * @throws IllegalArgumentException when a required part is missing, a size or id is out of
         *                                  range, or the parts do not fit together (a scorer that
         *                                  needs equal sizes, a bridge that cannot map the states), saying which
         */
        public Seq2Seq build() {
            if (encoder == null) {
                throw new IllegalArgumentException("Seq2Seq: an encoder is required; call encoder(Recurrent)");
            }
            if (decoderCell == null) {
                throw new IllegalArgumentException("Seq2Seq: a decoder is required; call decoder(cell, hiddenSize)");
            }
            requireAtLeast("sourceVocabulary", sourceVocabulary, 1);
            requireAtLeast("targetVocabulary", targetVocabulary, 1);
            requireAtLeast("decoder hidden size", decoderHidden, 1);
            requireAtLeast("decoderLayers", decoderLayers, 1);
            int embeddingSize = targetEmbeddingSize < 0 ? encoder.inputSize() : targetEmbeddingSize;
            requireAtLeast("targetEmbeddingSize", embeddingSize, 1);
            requireId("padding id", padId, Math.min(sourceVocabulary, targetVocabulary));
            requireId("begin-of-sequence id", bosId, targetVocabulary);
            requireId("end-of-sequence id", eosId, targetVocabulary);
            if (bosId == eosId || bosId == padId || eosId == padId) {
                throw new IllegalArgumentException("Seq2Seq: padding, begin- and end-of-sequence ids must differ, given "
                        + padId + ", " + bosId + ", " + eosId);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("Seq2Seq: labelSmoothing must be in [0, 1), given " + labelSmoothing);
            }
            if (shareEmbeddings && (sourceVocabulary != targetVocabulary || embeddingSize != encoder.inputSize())) {
                throw new IllegalArgumentException("Seq2Seq: shared embeddings need equal vocabularies and sizes, given"
                        + " source " + sourceVocabulary + " x " + encoder.inputSize() + " and target " + targetVocabulary
                        + " x " + embeddingSize);
            }
            SplittableRandom seeds = new SplittableRandom(seed);
            int keySize = encoder.outputSize();
            Embedding source = new Embedding(sourceVocabulary, encoder.inputSize(), padId, seeds.nextLong());
            Embedding target = shareEmbeddings ? source
                    : new Embedding(targetVocabulary, embeddingSize, padId, seeds.nextLong());
            int decoderInput = embeddingSize + switch (style) {
                case NONE -> 0;
                case LUONG -> inputFeeding ? decoderHidden : 0;
                case BAHDANAU -> keySize;
            };
            Recurrent layers = Recurrent.builder(decoderCell).inputSize(decoderInput).hiddenSize(decoderHidden)
                    .layers(decoderLayers).options(decoderOptions).seed(seeds.nextLong()).build();
            BridgeLayer bridgeLayer = new BridgeLayer(bridge, encoder, layers, seeds.nextLong());
            Attention attention = style == AttentionStyle.NONE ? null : attention(keySize, seeds.nextLong());
            Dense combine = style == AttentionStyle.LUONG
                    ? new Dense(keySize + decoderHidden, decoderHidden, seeds.nextLong()) : null;
            Dense output = new Dense(decoderHidden, targetVocabulary, seeds.nextLong());
            return new Seq2Seq(this, source, target, layers, bridgeLayer, attention, combine, output);
        }

        private Attention attention(int keySize, long attentionSeed) {
            int size = attentionSize < 0 ? decoderHidden : attentionSize;
            try {
                return Attention.create(scorer, decoderHidden, keySize, size, scorerOptions, attentionSeed);
            } catch (UnknownPluginException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Seq2Seq: scorer '" + scorer + "' does not fit the model: its query is the"
                        + " decoder hidden state (" + decoderHidden + " features) and its keys are the encoder outputs ("
                        + keySize + " features" + (encoder.directions() == 2 ? ", both directions" : "") + "): "
                        + e.getMessage(), e);
            }
        }

        /**
         * The configuration as file metadata: every setting by value, the cells and the scorer by
         * registry name, options one key each ({@code decoder.options.init}).
         */
        private Map<String, String> metadata(int embeddingSize, Bridge resolvedBridge) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("format_version", FORMAT_VERSION);
            encoder.config().forEach((k, v) -> meta.put("encoder." + k, v));
            meta.put("source_vocabulary", Integer.toString(sourceVocabulary));
            meta.put("target_vocabulary", Integer.toString(targetVocabulary));
            meta.put("target_embedding_size", Integer.toString(embeddingSize));
            meta.put("share_embeddings", Boolean.toString(shareEmbeddings));
            meta.put("decoder.cell", decoderCell);
            meta.put("decoder.hidden_size", Integer.toString(decoderHidden));
            meta.put("decoder.layers", Integer.toString(decoderLayers));
            decoderOptions.asMap().forEach((k, v) -> meta.put("decoder.options." + k, v));
            meta.put("attention", style.name().toLowerCase(Locale.ROOT));
            if (style != AttentionStyle.NONE) {
                meta.put("attention.scorer", scorer);
                meta.put("attention.size", Integer.toString(attentionSize < 0 ? decoderHidden : attentionSize));
                scorerOptions.asMap().forEach((k, v) -> meta.put("attention.options." + k, v));
            }
            meta.put("input_feeding", Boolean.toString(inputFeeding));
            meta.put("bridge", resolvedBridge.name().toLowerCase(Locale.ROOT));
            meta.put("pad_id", Integer.toString(padId));
            meta.put("bos_id", Integer.toString(bosId));
            meta.put("eos_id", Integer.toString(eosId));
            meta.put("label_smoothing", Double.toString(labelSmoothing));
            meta.put("seed", Long.toString(seed));
            return meta;
        }

        /** A builder configured from file metadata written by {@link #metadata}. */
        private static Builder fromMetadata(Map<String, String> meta) {
            Builder b = builder()
                    .encoder(Recurrent.fromConfig(withPrefix(meta, "encoder.")))
                    .sourceVocabulary(Metadata.integer(meta, "source_vocabulary"))
                    .targetVocabulary(Metadata.integer(meta, "target_vocabulary"))
                    .targetEmbeddingSize(Metadata.integer(meta, "target_embedding_size"))
                    .shareEmbeddings(Metadata.bool(meta, "share_embeddings"))
                    .decoder(Metadata.required(meta, "decoder.cell"), Metadata.integer(meta, "decoder.hidden_size"))
                    .decoderLayers(Metadata.integer(meta, "decoder.layers"))
                    .decoderOptions(Options.of(withPrefix(meta, "decoder.options.")))
                    .inputFeeding(Metadata.bool(meta, "input_feeding"))
                    .bridge(Metadata.choice(meta, "bridge", Bridge.class))
                    .specialTokens(Metadata.integer(meta, "pad_id"), Metadata.integer(meta, "bos_id"), Metadata.integer(meta, "eos_id"))
                    .labelSmoothing(Metadata.decimal(meta, "label_smoothing"))
                    .seed(Metadata.longInteger(meta, "seed"));
            AttentionStyle style = Metadata.choice(meta, "attention", AttentionStyle.class);
            if (style != AttentionStyle.NONE) {
                b.attention(style, Metadata.required(meta, "attention.scorer"))
                        .attentionSize(Metadata.integer(meta, "attention.size"))
                        .scorerOptions(Options.of(withPrefix(meta, "attention.options.")));
            }
            return b;
        }

        private static Map<String, String> withPrefix(Map<String, String> meta, String prefix) {
            Map<String, String> out = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        private static void requireAtLeast(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException("Seq2Seq: " + what + " must be >= " + min + ", given " + value);
            }
        }

        private static void requireId(String what, int id, int vocabulary) {
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("Seq2Seq: the " + what + " must be in [0, " + vocabulary + "), given " + id);
            }
        }
    }

    /** The attention style. */
    public AttentionStyle attentionStyle() {
        return style;
    }

    /** The bridge mode in use (the default resolved). */
    public Bridge bridge() {
        return bridge.mode();
    }

    /** The encoder layer. */
    public Recurrent encoder() {
        return encoder;
    }

    /** Number of target token ids. */
    public int targetVocabulary() {
        return targetVocabulary;
    }

    /** The begin-of-sequence id, the decoder's first input. */
    public int bosId() {
        return bosId;
    }

    /** The end-of-sequence id, where decoding stops. */
    public int eosId() {
        return eosId;
    }

    /** The padding id. */
    public int padId() {
        return padId;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Saves the model as one safetensors file: every parameter under its {@link #parameters() name},
     * and the configuration as string metadata (the encoder's layer configuration, the decoder's cell
     * and the attention scorer by registry name, never a class name; sizes, special ids, options).
     * Written atomically: to a temporary file, forced to disk, then renamed over {@code file}.
     */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach(p -> tensors.put(p.name(), p.value()));
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Loads a model saved by {@link #save}: rebuilds it from the metadata (cells and scorer found by
     * name in the plugin registries) and copies the weights in.
     *
     * @throws ModelFileException when the file is not a saved encoder-decoder, its configuration is
     *                            incomplete or invalid (an unknown cell or scorer included), or a weight
     *                            is missing, unexpected or mis-shaped, naming which
     */
    public static Seq2Seq load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(file, "not a saved rnn4j encoder-decoder: metadata format is " + meta.get("format")
                    + ", expected " + FORMAT);
        }
        Metadata.requireFormatVersion(file, meta, "encoder-decoder", FORMAT_VERSION);
        try {
            // The configuration may lie: what it makes must fit in what the file's weights need.
            Seq2Seq model = Memory.withBudget(contents.modelBudget(), () -> Builder.fromMetadata(meta).build());
            StateDicts.load("Seq2Seq", model.parameters, contents.tensors(), "");
            return model;
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "cannot rebuild the encoder-decoder: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code batch} forward and backward, accumulating every parameter's gradient. The decoder
     * input at step {@code t >= 1} of row {@code r} (for each real target step) is the ground truth
     * {@code target[r][t-1]} when {@code context.decoderInputs().useGroundTruth(seed, step, epoch, t, r)}
     * says so, else the argmax of the model's own output at step {@code t-1}; step 0 always gets the
     * begin-of-sequence token. A null policy means teacher forcing.
     *
     * @param window must be {@code (0, 0, 1)}: the model does not unroll ({@link #unrolledLength} is 1)
     * @return the mean cross-entropy over the real target tokens, their number, and how many the
     *         model's argmax got right
     * @throws IllegalArgumentException when a token is outside its vocabulary or the window is another
     */
    @Override
    public Result train(Seq2SeqBatch batch, UnrollingStrategy.Window window, Context context) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(context, "context");
        if (window.gradientStart() != 0 || window.lossStart() != 0 || window.end() != 1) {
            throw new IllegalArgumentException("Seq2Seq.train: the model does not unroll (unrolledLength 1), so the"
                    + " window must be (0, 0, 1), given " + window);
        }
        Forward f = new Forward(batch, context, true);
        Losses.Loss loss = f.loss();
        f.backward(loss.gradient());
        return f.result(loss);
    }

    /**
     * Checks that every source and target token is inside its vocabulary; the trainer calls this on
     * every batch before the first step.
     *
     * @throws IllegalArgumentException naming the token, its place and the vocabulary
     */
    @Override
    public void check(Seq2SeqBatch batch) {
        Objects.requireNonNull(batch, "batch");
        checkTokens("source", batch.source(), sourceVocabulary);
        checkTokens("target", batch.target(), targetVocabulary);
    }

    /** The loss and token accuracy of {@code batch} under teacher forcing, without gradients. */
    @Override
    public Result evaluate(Seq2SeqBatch batch) {
        Forward f = new Forward(batch, null, false);
        return f.result(f.loss());
    }

    /**
     * Greedy decoding: at each step the most likely token, until the end-of-sequence token or
     * {@code maxLength} tokens.
     *
     * @param source        source tokens {@code [B][S]}, padded at the end
     * @param sourceLengths real tokens per row, each in {@code [1, S]}; null when all are {@code S}
     * @param maxLength     most tokens per hypothesis, {@code >= 1}
     * @return one hypothesis per row, with its log-probability and attention weights
     * @throws IllegalArgumentException when a shape, length or token is out of range, naming it
     */
    public List<Hypothesis> greedy(int[][] source, int[] sourceLengths, int maxLength) {
        requirePositive("maxLength", maxLength);
        Encoded e = encode(source, sourceLengths, false);
        return search.greedy(e.keys(), e.lengths, e.bridged.initial(), maxLength);
    }

    /**
     * Beam search: keeps the {@code beamWidth} most likely prefixes (by summed log-probability) per
     * row. Of the {@code 2 * beamWidth} best expansions at each step, an end-of-sequence token among
     * the first {@code beamWidth} finishes a hypothesis and the first {@code beamWidth} others stay
     * alive, so width 1 with {@code lengthNormalization} 0 is greedy decoding (with normalization a
     * longer prefix may outscore the greedy one). Search stops when no live prefix can beat the best
     * finished hypothesis, or at {@code maxLength} tokens (live prefixes then count as results).
     * Hypotheses are ranked by {@code logProb / length^lengthNormalization}: 0 ranks by probability
     * alone (which favours short outputs), 1 by the mean log-probability per token. With
     * normalization, the stopping bound assumes a live prefix could still grow to {@code maxLength}
     * tokens, so a generous cap makes the search run longer: set it near the longest output wanted.
     * Every token of the vocabulary may be emitted, padding and begin-of-sequence included (a trained
     * model gives them little probability).
     *
     * <p>Plain beam search can prune the greedy prefix and end below greedy decoding; here the greedy
     * hypothesis competes too, so the result never scores below greedy decoding's under the same
     * ranking.
     *
     * @param source              source tokens {@code [B][S]}, padded at the end
     * @param sourceLengths       real tokens per row, each in {@code [1, S]}; null when all are {@code S}
     * @param beamWidth           prefixes kept per row, {@code >= 1}
     * @param maxLength           most tokens per hypothesis, {@code >= 1}
     * @param lengthNormalization the exponent {@code alpha >= 0}
     * @return one hypothesis per row; its {@code score} is the ranking score
     * @throws IllegalArgumentException when a shape, length, token or setting is out of range, naming it
     */
    public List<Hypothesis> beamSearch(int[][] source, int[] sourceLengths, int beamWidth, int maxLength,
                                       double lengthNormalization) {
        requirePositive("beamWidth", beamWidth);
        requirePositive("maxLength", maxLength);
        if (!(lengthNormalization >= 0) || Double.isInfinite(lengthNormalization)) {
            throw new IllegalArgumentException("Seq2Seq.beamSearch: lengthNormalization must be a finite number >= 0,"
                    + " given " + lengthNormalization);
        }
        Encoded e = encode(source, sourceLengths, false);
        Tensor[][] initial = e.bridged.initial();
        List<Hypothesis> greedy = search.greedy(e.keys(), e.lengths, initial, maxLength);
        List<Hypothesis> out = new ArrayList<>(source.length);
        for (int r = 0; r < source.length; r++) {
            Hypothesis beam = search.beam(e.keys(), e.lengths, initial, r, beamWidth, maxLength, lengthNormalization);
            Hypothesis g = greedy.get(r);
            double greedyScore = Search.score(g.logProb(), g.tokens().length, lengthNormalization);
            out.add(greedyScore > beam.score() ? new Hypothesis(g.tokens(), g.logProb(), greedyScore, g.attention()) : beam);
        }
        return out;
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Seq2Seq: " + what + " must be >= 1, given " + value);
        }
    }

    /** The encoder's run over a batch of sources, and the bridged initial decoder state. */
    private record Encoded(int[] lengths, Embedding.Output embedded, RecurrentOutput output, BridgeLayer.Run bridged) {
        Tensor keys() {
            return output.output();
        }
    }

    private Encoded encode(int[][] source, int[] sourceLengths, boolean training) {
        return encode(source, sourceLengths, training, 0);
    }

    /** @param dropoutSeed seeds the encoder's dropout masks in training */
    private Encoded encode(int[][] source, int[] sourceLengths, boolean training, long dropoutSeed) {
        Objects.requireNonNull(source, "source");
        int[][] rows = Seq2SeqBatch.rectangular("Seq2Seq", "source", source);
        int[] lengths = sourceLengths == null ? full(rows.length, rows[0].length)
                : Seq2SeqBatch.checkLengths("Seq2Seq", "sourceLengths", sourceLengths, rows.length, rows[0].length);
        checkTokens("source", rows, sourceVocabulary);
        Embedding.Output embedded = sourceEmbedding.forward(rows);
        RecurrentOutput output = encoder.forward(embedded.value(), lengths, null, training, dropoutSeed);
        return new Encoded(lengths, embedded, output, bridge.forward(output, rows.length));
    }

    private static int[] full(int rows, int length) {
        int[] lengths = new int[rows];
        Arrays.fill(lengths, length);
        return lengths;
    }

    private static void checkTokens(String what, int[][] tokens, int vocabulary) {
        for (int r = 0; r < tokens.length; r++) {
            for (int t = 0; t < tokens[r].length; t++) {
                if (tokens[r][t] < 0 || tokens[r][t] >= vocabulary) {
                    throw new IllegalArgumentException("Seq2Seq: " + what + " token " + tokens[r][t] + " at [" + r + ", "
                            + t + "] is outside the " + what + " vocabulary [0, " + vocabulary + ")");
                }
            }
        }
    }

    /** One forward run over a batch, keeping what the backward pass needs. */
    private final class Forward {
        private final Seq2SeqBatch batch;
        private final Encoded encoded;
        private final Decoder.Step[] steps;
        private final Tensor logits;
        private final int[] labels;

        /** @param context where training stands, or null for teacher forcing */
        Forward(Seq2SeqBatch batch, Context context, boolean training) {
            this.batch = Objects.requireNonNull(batch, "batch");
            checkTokens("target", batch.target(), targetVocabulary);
            // Dropout masks from the trainer's seed and step, so that a resumed run draws the same ones.
            long dropoutSeed = context == null ? 0 : context.seed() ^ (0x9E3779B97F4A7C15L * (context.step() + 1));
            this.encoded = encode(batch.source(), batch.sourceLengths(), training, dropoutSeed);
            int b = batch.size();
            int steps = batch.targetSteps();
            int v = targetVocabulary;
            DecoderInputPolicy policy = context == null ? null : context.decoderInputs();
            this.steps = new Decoder.Step[steps];
            this.logits = Tensor.zeros(b, steps, v);
            this.labels = new int[b * steps];
            int[][] target = batch.target();
            int[] targetLengths = batch.targetLengths();
            int[] tokens = new int[b];
            Arrays.fill(tokens, bosId);
            Tensor[][] state = encoded.bridged.initial();
            Tensor feed = null;
            for (int t = 0; t < steps; t++) {
                if (t > 0) {
                    float[] previous = this.steps[t - 1].logits().data();
                    for (int r = 0; r < b; r++) {
                        boolean ownPrediction = t < targetLengths[r] && policy != null
                                && !policy.useGroundTruth(context.seed(), context.step(), context.epoch(), t, r);
                        tokens[r] = ownPrediction ? Search.argmax(previous, r * v, v) : target[r][t - 1];
                    }
                }
                Decoder.Step step = decoder.step(tokens, state, feed, encoded.keys(), encoded.lengths, training);
                this.steps[t] = step;
                for (int r = 0; r < b; r++) {
                    System.arraycopy(step.logits().data(), r * v, logits.data(), (r * steps + t) * v, v);
                    labels[r * steps + t] = t < targetLengths[r] ? target[r][t] : IGNORE;
                }
                state = step.state();
                feed = step.feed();
            }
        }

        Losses.Loss loss() {
            return Losses.crossEntropy(logits, labels, IGNORE, labelSmoothing);
        }

        Result result(Losses.Loss loss) {
            int v = targetVocabulary;
            long correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != IGNORE && Search.argmax(logits.data(), i * v, v) == labels[i]) {
                    correct++;
                }
            }
            return new Result(loss.value(), batch.targetTokens(), correct);
        }

        /** Back-propagates {@code dLogits [B, T, V]} through the decoder, the bridge, the encoder and the embeddings. */
        void backward(Tensor dLogits) {
            int b = batch.size();
            int t = steps.length;
            int v = targetVocabulary;
            Tensor keys = encoded.keys();
            Tensor dKeys = Tensor.zeros(keys.shape());
            Tensor[][] dState = null;
            Tensor dFeed = null;
            for (int s = t - 1; s >= 0; s--) {
                Tensor dStep = Tensor.zeros(b, v);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(dLogits.data(), (r * t + s) * v, dStep.data(), r * v, v);
                }
                Decoder.Gradients g = steps[s].backward(dStep, dFeed, dState, dKeys);
                dState = g.state();
                dFeed = g.feed();
            }
            Map<String, Tensor> dFinal = encoded.bridged.backward(dState);
            RecurrentOutput.Gradients g = encoded.output.backward(dKeys, null, dFinal);
            encoded.embedded.backward(g.input());
        }
    }

    @Override
    public String toString() {
        return "Seq2Seq[encoder " + encoder + ", bridge " + bridge.mode() + ", attention " + style + "]";
    }
}
