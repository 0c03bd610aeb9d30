package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.rnn4j.training.Metrics;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import scala.Tuple2;

/**
 * Hyper-parameter sweeps: many small models trained in parallel, one per Spark task, each by the
 * ordinary local {@link Trainer} inside its task, and their validation metrics collected into a
 * table. A trial that throws an exception (a diverging learning rate, an unknown cell name) becomes
 * a row with its error instead of failing the sweep; an {@link Error} (out of memory) fails it.
 *
 * <pre>{@code
 * Map<String, List<String>> values = new LinkedHashMap<>();   // ordered, so trials keep their indexes run to run
 * values.put("cell", List.of("lstm", "gru"));
 * values.put("hidden", List.of("16", "32"));
 * List<Map<String, String>> grid = Sweep.grid(values);
 * List<SweepResult> results = Sweep.run(sc, grid, p -> trainer(p).fit(data));   // data captured by the lambda
 * Sweep.table(spark, results).orderBy("validation_loss").show();
 * }</pre>
 */
public final class Sweep {

    private static final System.Logger LOG = System.getLogger(Sweep.class.getName());

    private Sweep() {
    }

    /** Trains one model with the given parameters, inside a Spark task, and returns its history. */
    @FunctionalInterface
    public interface Trial extends Serializable {
        /**
         * Trains one model.
         *
         * @param parameters this trial's values by name
         * @throws Exception anything; the sweep records it in the trial's row
         */
        Trainer.History train(Map<String, String> parameters) throws Exception;
    }

    /**
     * Every combination of the values of {@code axes}, the first axis varying slowest, in the maps'
     * iteration orders (use a {@link LinkedHashMap} for a fixed one).
     *
     * @throws IllegalArgumentException when an axis has no value
     */
    public static List<Map<String, String>> grid(Map<String, List<String>> axes) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        axes.forEach((name, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("Sweep.grid: axis '" + name + "' has no value");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : combinations) {
                for (String value : values) {
                    Map<String, String> combination = new LinkedHashMap<>(partial);
                    combination.put(name, value);
                    next.add(combination);
                }
            }
            combinations.clear();
            combinations.addAll(next);
        });
        return combinations;
    }

    /**
     * Runs every trial in a Spark task of its own and returns the results in trial order. The
     * trial function is serialized to the executors with everything it captures (its data, for a
     * small data set; for a large one, a path to read).
     */
    public static List<SweepResult> run(JavaSparkContext spark, List<Map<String, String>> trials, Trial trial) {
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("Sweep.run: expected at least one trial, given none");
        }
        List<Tuple2<Integer, LinkedHashMap<String, String>>> indexed = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            indexed.add(new Tuple2<>(i, new LinkedHashMap<>(trials.get(i))));
        }
        return spark.parallelize(indexed, indexed.size()).map(t -> runOne(t._1(), t._2(), trial)).collect();
    }

    private static SweepResult runOne(int index, Map<String, String> parameters, Trial trial) {
        long start = System.nanoTime();
        try {
            Trainer.History history = trial.train(parameters);
            double seconds = (System.nanoTime() - start) / 1e9;
            TrainingListener.EpochEvent best = null;
            for (TrainingListener.EpochEvent e : history.epochs()) {
                if (e.validation() != null && (best == null || e.validation().loss() < best.validation().loss())) {
                    best = e;
                }
            }
            Metrics bestValidation = best == null ? null : best.validation();
            return new SweepResult(index, parameters, null, history.epochs().size(), history.steps(),
                    history.last().train().loss(), bestValidation == null ? Double.NaN : bestValidation.loss(),
                    bestValidation == null ? Double.NaN : bestValidation.accuracy(), best == null ? -1 : best.epoch(),
                    seconds);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            // One trial's failure, a too-large model's heap included, must not lose the others' results.
            LOG.log(System.Logger.Level.WARNING, "sweep trial " + index + " " + parameters + " failed", e);
            return new SweepResult(index, parameters, describe(e), 0, 0,
                    Double.NaN, Double.NaN, Double.NaN, -1, (System.nanoTime() - start) / 1e9);
        }
    }

    /** {@code Type: message}, then {@code ; caused by Type: message} for each cause. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : "; caused by ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage());
        }
        return text.toString();
    }

    /**
     * The results as a table: {@code trial}, one string column per parameter name (in order of
     * first appearance), {@code error}, {@code epochs}, {@code steps}, {@code train_loss},
     * {@code validation_loss}, {@code validation_accuracy}, {@code best_epoch}, {@code seconds}.
     */
    public static Dataset<Row> table(SparkSession spark, List<SweepResult> results) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.addAll(r.parameters().keySet()));
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("trial", DataTypes.IntegerType, false));
        names.forEach(n -> fields.add(DataTypes.createStructField(n, DataTypes.StringType, true)));
        fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("epochs", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("steps", DataTypes.LongType, false));
        fields.add(DataTypes.createStructField("train_loss", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("validation_loss", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("validation_accuracy", DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField("best_epoch", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        List<Row> rows = new ArrayList<>();
        for (SweepResult r : results) {
            List<Object> values = new ArrayList<>();
            values.add(r.trial());
            names.forEach(n -> values.add(r.parameters().get(n)));
            values.add(r.error());
            values.add(r.epochs());
            values.add(r.steps());
            values.add(r.trainLoss());
            values.add(r.validationLoss());
            values.add(r.validationAccuracy());
            values.add(r.bestEpoch());
            values.add(r.seconds());
            rows.add(RowFactory.create(values.toArray()));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }
}
