package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;
import org.rnn4j.training.data.Windowing;
import org.rnn4j.training.data.WordTokenizer;

/** Text lines and time-series rows from Spark, through the local tokenizers and windowing, into training. */
class SparkDataTest {

    private static final List<String> LINES = List.of(
            "Nasci no Brasil, sou negro.", "Aqui em Curitiba faz frio.", "", "A ação do pão é ótima 😀",
            "Sou de São Paulo e não de Curitiba.", "O pão de queijo é de Minas.", "Faz sol em São Paulo.");

    private final JavaSparkContext sc = LocalSpark.context();
    private final SparkSession session = LocalSpark.session();

    @Test
    void textIsTokenizedOnTheExecutorsAsLocally() {
        JavaRDD<String> lines = sc.parallelize(LINES, 3);

        Vocabulary chars = SparkText.vocabulary(lines, CharTokenizer::new, 1, 200);
        assertEquals(CharTokenizer.fit(String.join("", LINES), 1, 200).vocabulary(), chars);
        Vocabulary words = SparkText.vocabulary(lines, v -> new WordTokenizer(v, true), 2, 10);
        assertEquals(WordTokenizer.fit(String.join(" ", LINES), true, 2, 10).vocabulary(), words);

        List<int[]> encoded = SparkText.encode(lines, CharTokenizer::new, chars, true).collect();
        CharTokenizer local = new CharTokenizer(chars);
        for (int i = 0; i < LINES.size(); i++) {
            assertArrayEquals(local.encode(LINES.get(i), true), encoded.get(i), LINES.get(i));
        }
    }

    @Test
    void piecesKeepEveryNextTokenPairOnce() {
        JavaRDD<int[]> sequences = sc.parallelize(List.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {4},
                new int[] {5, 6, 7}), 2);
        List<int[]> pieces = SparkText.pieces(sequences, 4).collect();
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {3, 4, 5, 6}, {6, 7, 8, 9}, {5, 6, 7}}, pieces.toArray(int[][]::new));
        var e = assertThrows(IllegalArgumentException.class, () -> SparkText.pieces(sequences, 1));
        assertTrue(e.getMessage().contains("maxLength must be >= 2"), e.getMessage());
    }

    @Test
    void aCharacterModelTrainsFromTheTextColumnOfADataset() throws IOException {
        JavaRDD<String> lines = SparkText.lines(session.createDataset(LINES, Encoders.STRING()).toDF("text"), "text");
        assertEquals(LINES, lines.collect());
        Vocabulary chars = SparkText.vocabulary(lines, CharTokenizer::new, 1, 200);
        JavaRDD<int[]> examples = SparkText.pieces(SparkText.encode(lines, CharTokenizer::new, chars, true), 12);
        int size = chars.size();
        SerializableSupplier<SequenceModel> factory = () -> SequenceModel.builder(Recurrent.builder("gru")
                        .inputSize(8).hiddenSize(24).seed(3).build())
                .vocabulary(size, Vocabulary.PAD).outputs(size).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(4).build();
        SequenceModel model = factory.get();
        SparkTrainer<int[], SequenceBatch> spark = SparkTrainer.of(sc, model, factory,
                batch -> Batches.languageModel(batch, Vocabulary.PAD));
        Trainer.History history;
        try (DistributedData<int[]> data = spark.distribute(examples, 2)) {
            history = spark.trainer(data).optimizer("adam", Options.empty()).learningRate(0.02)
                    .batchSize(16).epochs(12).seed(1).build().fit(data.ids());
        }
        double uniform = Math.log(size);
        assertTrue(history.last().train().loss() < 0.6 * uniform,
                "the loss should fall well below the uniform guess's " + uniform + ": " + history.last());
    }

    /** Readings of three sensors, shuffled: a (9 hours), b (6 hours), c (3 hours, too short for a window). */
    private Dataset<Row> readings(boolean withNull) {
        List<Row> rows = new ArrayList<>();
        int[] hours = {9, 6, 3};
        for (int s = 0; s < 3; s++) {
            for (int h = 0; h < hours[s]; h++) {
                Double humidity = withNull && s == 1 && h == 4 ? null : 100.0 * (s + 1) + h + 0.5;
                rows.add(RowFactory.create(String.valueOf((char) ('a' + s)), h, 100.0 * (s + 1) + h, humidity));
            }
        }
        Collections.shuffle(rows, new Random(3));
        return session.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("sensor", DataTypes.StringType, false),
                DataTypes.createStructField("hour", DataTypes.IntegerType, false),
                DataTypes.createStructField("temperature", DataTypes.DoubleType, false),
                DataTypes.createStructField("humidity", DataTypes.DoubleType, true))));
    }

    @Test
    void rowsOfSeveralSeriesAreWindowedSeriesBySeriesAsLocally() {
        List<Windowing.Window> windows = SparkSeries.windows(readings(false), "sensor", "hour",
                List.of("temperature", "humidity"), "temperature", 4, 1, 2, 2).collect();

        Map<Integer, List<Windowing.Window>> bySensor = new TreeMap<>();
        for (Windowing.Window w : windows) {
            bySensor.computeIfAbsent((int) (w.input()[0][0] / 100), k -> new ArrayList<>()).add(w);
        }
        assertEquals(List.of(1, 2), List.copyOf(bySensor.keySet()), "sensor c is too short for a window");
        int[] hours = {9, 6};
        for (int s = 0; s < 2; s++) {
            float[][] series = new float[hours[s]][];
            for (int h = 0; h < hours[s]; h++) {
                series[h] = new float[] {100f * (s + 1) + h, 100f * (s + 1) + h + 0.5f};
            }
            List<Windowing.Window> want = Windowing.windows(series, 4, 1, 2, 0);
            List<Windowing.Window> got = bySensor.get(s + 1);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                assertTrue(Arrays.deepEquals(want.get(i).input(), got.get(i).input())
                        && Arrays.deepEquals(want.get(i).target(), got.get(i).target()), "sensor " + s + " window " + i);
            }
        }
    }

    @Test
    void missingValuesAndColumnsAreNamed() {
        var column = assertThrows(IllegalArgumentException.class, () -> SparkSeries.windows(readings(false), "sensor",
                "hour", List.of("temperature", "pressure"), null, 4, 1, 1, 2));
        assertTrue(column.getMessage().contains("no column 'pressure'"), column.getMessage());
        var target = assertThrows(IllegalArgumentException.class, () -> SparkSeries.windows(readings(false), "sensor",
                "hour", List.of("humidity"), "temperature", 4, 1, 1, 2));
        assertTrue(target.getMessage().contains("target column 'temperature' must be one of the features"),
                target.getMessage());
        var missing = assertThrows(Exception.class, () -> SparkSeries.windows(readings(true), "sensor", "hour",
                List.of("temperature", "humidity"), null, 4, 1, 1, 2).collect());
        assertTrue(missing.getMessage().contains("series b at 4 has no number (missing or not numeric) in column 'humidity'"),
                missing.getMessage());
        Dataset<Row> twice = readings(false);
        Dataset<Row> repeated = twice.union(twice.filter("sensor = 'a' AND hour = 3"));
        var duplicate = assertThrows(Exception.class, () -> SparkSeries.windows(repeated, "sensor", "hour",
                List.of("temperature", "humidity"), null, 4, 1, 1, 2).collect());
        assertTrue(duplicate.getMessage().contains("series a has two rows at hour = 3"), duplicate.getMessage());
        Dataset<Row> timeless = twice.withColumn("hour", org.apache.spark.sql.functions.expr(
                "CASE WHEN sensor = 'b' AND hour = 2 THEN NULL ELSE hour END"));
        var noTime = assertThrows(Exception.class, () -> SparkSeries.windows(timeless, "sensor", "hour",
                List.of("temperature", "humidity"), null, 4, 1, 1, 2).collect());
        assertTrue(noTime.getMessage().contains("series b has a row without hour (null)"), noTime.getMessage());
    }

    @Test
    void aForecasterTrainsOnWindowsMovedBetweenPartitions() throws IOException {
        Dataset<Row> rows = readings(false);
        JavaRDD<Windowing.Window> windows = SparkSeries.windows(rows.withColumn("temperature",
                        org.apache.spark.sql.functions.expr("sin(hour) + 0.1 * temperature / 100")), "sensor", "hour",
                List.of("temperature"), null, 3, 1, 1, 2);
        SerializableSupplier<SequenceModel> factory = () -> SequenceModel.builder(Recurrent.builder("lstm")
                        .inputSize(1).hiddenSize(8).seed(5).build())
                .outputs(1).output(SequenceModel.Output.LAST).objective(SequenceModel.Objective.REGRESSION).seed(6).build();
        SequenceModel model = factory.get();
        SparkTrainer<Windowing.Window, SequenceBatch> spark = SparkTrainer.of(sc, model, factory, Windowing::batch);
        Trainer.History history;
        // Three partitions from two: the windows (records) travel through Kryo with KryoRecords.
        try (DistributedData<Windowing.Window> data = spark.distribute(windows, 3)) {
            assertEquals(3, data.partitions());
            assertEquals(windows.count(), data.size());
            history = spark.trainer(data).optimizer("adam", Options.empty()).learningRate(0.05)
                    .batchSize(9).epochs(15).seed(2).build().fit(data.ids());
        }
        assertTrue(history.last().train().loss() < 0.5 * history.epochs().getFirst().train().loss(), history.toString());
    }
}
