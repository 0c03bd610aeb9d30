package org.rnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Checkpoints;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

/**
 * A Spark application that trains a character language model on a text corpus, one example per
 * line, with {@link SparkTrainer}; and the throughput benchmark of the README, which runs the same
 * model locally ({@code --local}, the plain {@link Trainer} in one JVM) and on Spark. Run it with
 * {@code spark-submit --class org.rnn4j.spark.TrainCharModel rnn4j-spark-<version>-app.jar ...},
 * or with {@code ./rnn4j spark ...} on this machine. Without {@code --input} it trains on a
 * generated corpus.
 *
 * <p>Options: {@code --input PATH} (any path Spark reads), {@code --lines N} (generated lines,
 * default 2048), {@code --partitions N} (default: Spark's default parallelism), {@code --master URL}
 * (when not set by spark-submit; default {@code local[2]}), {@code --cell lstm|gru|rnn},
 * {@code --hidden N} (default 128), {@code --length N} (characters per example, default 64),
 * {@code --batch N} (default 64), {@code --epochs N} (default 1), {@code --checkpoints DIR}
 * (resumes from the newest checkpoint there), {@code --save FILE} (the model, as safetensors, and
 * its vocabulary beside it),
 * {@code --local}; {@code -h} or {@code --help} prints them and exits.
 *
 * <p>It sets Spark's log level to WARN, and prints the training and validation loss per epoch, the
 * median time of an empty Spark job over the same partitions after training (Spark's own cost per
 * step), then one line with the steps, the median and mean step time after 5 warm-up steps, and the
 * throughput in sequences per second.
 */
public final class TrainCharModel {

    private static final int WARM_UP = 5;
    /** Most vocabulary entries, the special tokens included. */
    private static final int MAX_VOCABULARY = 200;

    /** Where {@code --save} puts the vocabulary: {@code m.safetensors} gets {@code m.vocabulary.json}. */
    static Path vocabularyBeside(Path model) {
        String name = model.getFileName().toString();
        String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return model.resolveSibling(base + ".vocabulary.json");
    }

    /** What {@code --help} prints. */
    static final String USAGE = """
            Usage: ./rnn4j spark [OPTIONS]   (or spark-submit --class org.rnn4j.spark.TrainCharModel APP_JAR [OPTIONS])
            Trains a character language model on Spark, one example per line of the input.
              --input PATH        text to train on, any path Spark reads (default: a generated corpus)
              --lines N           lines of the generated corpus (default 2048)
              --partitions N      partitions of the training data (default: Spark's default parallelism)
              --master URL        Spark master when spark-submit sets none (default local[2])
              --cell NAME         lstm, gru or rnn (default lstm)
              --hidden N          hidden size (default 128)
              --length N          characters per example (default 64)
              --batch N           sequences per step (default 64)
              --epochs N          epochs (default 1)
              --checkpoints DIR   checkpoint folder on the driver's file system; resumes from the newest one there
              --save FILE         writes the trained model there (on the driver's file system), as safetensors,
                                  and its vocabulary beside it (m.safetensors -> m.vocabulary.json)
              --local             trains in this JVM with the plain Trainer instead of Spark (the baseline)
              -h, --help          prints this and exits
            """;

    private TrainCharModel() {
    }

    /**
     * Runs the application.
     *
     * @param args options, see the class comment
     */
    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /** {@link #main} without the exit: a bad argument is an {@link IllegalArgumentException} naming it. */
    static void run(String[] args) throws IOException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Arguments a = Arguments.parse(args);
        SparkConf conf = new SparkConf().setAppName("rnn4j-char-model").setIfMissing("spark.master", a.master);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // Spark logs every job at INFO, and this application runs one job per step.
            sc.setLogLevel("WARN");
            JavaRDD<String> lines = a.input != null ? sc.textFile(a.input) : sc.parallelize(generated(a.lines),
                    sc.defaultParallelism());
            Vocabulary chars = SparkText.vocabulary(lines, CharTokenizer::new, 1, MAX_VOCABULARY);
            if (chars.size() == MAX_VOCABULARY) {
                System.out.println("note: the vocabulary is at its limit of " + MAX_VOCABULARY
                        + " entries; rarer characters, if any, read as <unk>");
            }
            JavaRDD<int[]> examples = SparkText.pieces(SparkText.encode(lines, CharTokenizer::new, chars, true), a.length + 1);
            int vocabulary = chars.size();
            String cell = a.cell;
            int hidden = a.hidden;
            SerializableSupplier<SequenceModel> factory = () -> SequenceModel.builder(Recurrent.builder(cell)
                            .inputSize(32).hiddenSize(hidden).seed(1).build())
                    .vocabulary(vocabulary, Vocabulary.PAD).outputs(vocabulary).output(SequenceModel.Output.SEQUENCE)
                    .objective(SequenceModel.Objective.CLASSIFICATION).seed(2).build();
            SequenceModel model = factory.get();
            StepTimes times = new StepTimes();
            Trainer.History history;
            if (a.local) {
                Trainer<int[], SequenceBatch> trainer = configure(Trainer.<int[], SequenceBatch>builder(model,
                        batch -> Batches.languageModel(batch, Vocabulary.PAD)), a, times).build();
                history = fitOrResume(trainer, examples.collect(), a.checkpoints);
            } else {
                SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, model, factory,
                        batch -> Batches.languageModel(batch, Vocabulary.PAD));
                int partitions = a.partitions > 0 ? a.partitions : sc.defaultParallelism();
                try (DistributedData<int[]> data = spark.distribute(examples, partitions)) {
                    Trainer<Integer, SparkBatch> trainer = configure(spark.trainer(data), a, times).build();
                    history = fitOrResume(trainer, data.ids(), a.checkpoints);
                    // Measured after training, when Spark's code is as warm as in the steps timed.
                    System.out.printf(Locale.ROOT, "an empty Spark job over the same partitions: median %.1f ms%n",
                            emptyJobMillis(data));
                }
            }
            if (a.save != null) {
                Path saved = Path.of(a.save);
                Path vocabularyFile = vocabularyBeside(saved);
                model.save(saved);
                chars.save(vocabularyFile);
                System.out.println("saved the model to " + saved + " and its vocabulary to " + vocabularyFile);
            }
            System.out.println(times.summary(a.local ? "local" : sc.master() + ", "
                    + (a.partitions > 0 ? a.partitions : sc.defaultParallelism()) + " partitions", a.batch)
                    + String.format(Locale.ROOT, "; final validation %.3f bits/char", history.last().validation().bits()));
        }
    }

    private static <E, B> Trainer.Builder<E, B> configure(Trainer.Builder<E, B> builder, Arguments a, StepTimes times) {
        Trainer.Builder<E, B> b = builder.optimizer("adam", Options.empty()).learningRate(3e-3)
                .gradientTransform("clip-norm", Options.of("max_norm", "1")).batchSize(a.batch).epochs(a.epochs).seed(7)
                .validationFraction(0.05).listener(times);
        return a.checkpoints == null ? b : b.checkpoints(Path.of(a.checkpoints), 100, 3);
    }

    private static <E> Trainer.History fitOrResume(Trainer<E, ?> trainer, List<E> data, String checkpoints)
            throws IOException {
        if (checkpoints != null) {
            var latest = Checkpoints.latest(Path.of(checkpoints));
            if (latest.isPresent()) {
                System.out.println("resuming from " + latest.get());
                return trainer.resume(latest.get(), data);
            }
        }
        return trainer.fit(data);
    }

    /**
     * The median time of a job that does nothing over the data's partitions, in the shape of a
     * training step (a map over the cached partitions, then treeAggregate): Spark's own round trip,
     * which a step pays on top of the model's work, the weights' broadcast and the gradients' return.
     */
    private static double emptyJobMillis(DistributedData<?> data) {
        long[] nanos = new long[25];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            data.blocks().mapPartitions(it -> List.of(1).iterator()).treeAggregate(0, Integer::sum, Integer::sum, 2);
            nanos[i] = System.nanoTime() - start;
        }
        long[] warm = Arrays.copyOfRange(nanos, WARM_UP, nanos.length);
        Arrays.sort(warm);
        return warm[warm.length / 2] / 1e6;
    }

    /** A deterministic corpus of short Portuguese sentences, for runs without data. */
    static List<String> generated(int count) {
        String[] subjects = {"O menino", "A chuva", "Curitiba", "O pão de queijo", "A professora", "São Paulo", "O gato"};
        String[] verbs = {"gosta de", "faz", "vê", "espera", "canta para", "lembra de", "encontra"};
        String[] objects = {"o frio da manhã", "a praça", "um café quente", "o ônibus", "a ação", "os amigos", "a lua"};
        String[] endings = {".", "!", " hoje.", " de novo.", " sem pressa."};
        SplittableRandom rng = new SplittableRandom(42);
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int s = 0; s < 1 + rng.nextInt(2); s++) {
                line.append(s > 0 ? " " : "").append(subjects[rng.nextInt(subjects.length)]).append(' ')
                        .append(verbs[rng.nextInt(verbs.length)]).append(' ').append(objects[rng.nextInt(objects.length)])
                        .append(endings[rng.nextInt(endings.length)]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Step times measured between consecutive steps, and the epochs' losses as they end. */
    private static final class StepTimes implements TrainingListener {
        private final List<Long> nanos = new ArrayList<>();
        private long last;

        @Override
        public void onStep(StepEvent event) {
            long now = System.nanoTime();
            if (last != 0) {
                nanos.add(now - last);
            }
            last = now;
        }

        @Override
        public void onEpoch(EpochEvent event) {
            System.out.printf(Locale.ROOT, "epoch %d: train %.3f bits/char, validation %.3f bits/char, %d steps%n",
                    event.epoch(), event.train().bits(), event.validation().bits(), event.steps());
            last = 0;
        }

        String summary(String where, int batch) {
            long[] measured = nanos.stream().skip(WARM_UP).mapToLong(Long::longValue).sorted().toArray();
            if (measured.length == 0) {
                return where + ": too few steps to time (" + nanos.size() + "), give more --lines or --epochs";
            }
            double median = measured[measured.length / 2] / 1e6;
            double mean = Arrays.stream(measured).average().orElseThrow() / 1e6;
            return String.format(Locale.ROOT, "%s: %d steps timed, median %.1f ms/step, mean %.1f ms/step, %.0f sequences/s",
                    where, measured.length, median, mean, batch * 1000 / mean);
        }
    }

    private record Arguments(String input, int lines, int partitions, String master, String cell, int hidden, int length,
                             int batch, int epochs, String checkpoints, String save, boolean local) {

        /** The options that take a value. */
        private static final Set<String> KNOWN = Set.of("--input", "--lines", "--partitions", "--master", "--cell",
                "--hidden", "--length", "--batch", "--epochs", "--checkpoints", "--save");

        static Arguments parse(String[] args) {
            String input = null;
            int lines = 2048;
            int partitions = 0;
            String master = "local[2]";
            String cell = "lstm";
            int hidden = 128;
            int length = 64;
            int batch = 64;
            int epochs = 1;
            String checkpoints = null;
            String save = null;
            boolean local = false;
            boolean linesGiven = false;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--local")) {
                    local = true;
                    continue;
                }
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("TrainCharModel: unknown option " + name
                            + "; known: --input, --lines, --partitions, --master, --cell, --hidden, --length, --batch,"
                            + " --epochs, --checkpoints, --save, --local (--help explains them)");
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("TrainCharModel: option " + name + " needs a value"
                            + (i + 1 < args.length ? ", given the option " + args[i + 1] : ""));
                }
                String value = args[++i];
                switch (name) {
                    case "--input" -> input = value;
                    case "--lines" -> {
                        lines = positive(name, value);
                        linesGiven = true;
                    }
                    case "--partitions" -> partitions = positive(name, value);
                    case "--master" -> master = value;
                    case "--cell" -> cell = value;
                    case "--hidden" -> hidden = positive(name, value);
                    case "--length" -> length = positive(name, value);
                    case "--batch" -> batch = positive(name, value);
                    case "--epochs" -> epochs = positive(name, value);
                    case "--checkpoints" -> checkpoints = value;
                    case "--save" -> save = value;
                    default -> throw new IllegalStateException("option " + name + " is known but not parsed");
                }
            }
            if (input != null && linesGiven) {
                throw new IllegalArgumentException("TrainCharModel: --lines sizes the generated corpus, and --input " + input
                        + " replaces it; give one of them");
            }
            if (local && partitions > 0) {
                throw new IllegalArgumentException("TrainCharModel: --partitions splits the data over Spark, and --local"
                        + " trains without Spark; give one of them");
            }
            return new Arguments(input, lines, partitions, master, cell, hidden, length, batch, epochs, checkpoints, save,
                    local);
        }

        private static int positive(String name, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("TrainCharModel: " + name + " needs a whole number >= 1, given '" + value + "'");
        }
    }
}
