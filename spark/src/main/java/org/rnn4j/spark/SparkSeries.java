package org.rnn4j.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rnn4j.training.data.Windowing;

/**
 * Time series from Spark rows cut into supervised windows on the executors by the local
 * pipeline's own {@link Windowing}, one series at a time, so that windows never cross from one
 * series into another. Rows are {@code (series key, time, feature columns...)}: for example one
 * row per sensor and hour. Normalize the features first (in Spark SQL, with statistics of the
 * training period only), as the local pipeline's {@code Normalizer} would.
 *
 * <p>Windows are records: to move or collect them with Kryo, register {@link KryoRecords};
 * Spark's default Java serializer cannot carry them.
 *
 * <pre>{@code
 * JavaRDD<Windowing.Window> windows = SparkSeries.windows(readings, "sensor", "hour",
 *         List.of("temperature", "humidity"), "temperature", 24, 1, 1, 8);
 * }</pre>
 */
public final class SparkSeries {

    private SparkSeries() {
    }

    /**
     * The windows of every series: rows are grouped by {@code seriesColumn}, ordered by
     * {@code orderColumn} (values must be unique within a series), and each series' features are cut
     * by {@link Windowing#windows(float[][], int, int, int, int)} (or, without a target column, by
     * {@link Windowing#windows(float[][], int, int, int)}, predicting every feature). Series too
     * short for one window are skipped. The result's order is deterministic: series by the hash
     * partitioning of their key and then by key, windows in time order.
     *
     * @param features     feature columns, read as floats
     * @param targetColumn the feature to predict, or null for all of them
     * @param partitions   partitions of the result; each series lies in one
     * @throws IllegalArgumentException when a column is missing or the target is not a feature; on
     *                                  the executors, when a feature is null or not finite (naming
     *                                  the series, the time and the column)
     */
    public static JavaRDD<Windowing.Window> windows(Dataset<Row> rows, String seriesColumn, String orderColumn,
                                                    List<String> features, String targetColumn, int length, int horizon,
                                                    int stride, int partitions) {
        Objects.requireNonNull(seriesColumn, "seriesColumn");
        Objects.requireNonNull(orderColumn, "orderColumn");
        if (features.isEmpty()) {
            throw new IllegalArgumentException("SparkSeries.windows: expected at least one feature column, given none");
        }
        List<String> names = List.of(rows.columns());
        List<String> wanted = new ArrayList<>(List.of(seriesColumn, orderColumn));
        wanted.addAll(features);
        for (String c : wanted) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException("SparkSeries.windows: no column '" + c + "'; the rows have " + names);
            }
        }
        int target = targetColumn == null ? -1 : features.indexOf(targetColumn);
        if (targetColumn != null && target < 0) {
            throw new IllegalArgumentException("SparkSeries.windows: the target column '" + targetColumn
                    + "' must be one of the features " + features);
        }
        if (length < 1 || horizon < 1 || stride < 1 || partitions < 1) {
            throw new IllegalArgumentException("SparkSeries.windows: length, horizon, stride and partitions must be >= 1,"
                    + " given " + length + ", " + horizon + ", " + stride + ", " + partitions);
        }
        List<Column> columns = new ArrayList<>();
        columns.add(col(seriesColumn));
        columns.add(col(orderColumn));
        features.forEach(f -> columns.add(col(f).cast("float")));
        List<String> featureNames = List.copyOf(features);
        return rows.select(columns.toArray(Column[]::new))
                .repartition(partitions, col(seriesColumn))
                .sortWithinPartitions(col(seriesColumn), col(orderColumn))
                .javaRDD()
                .mapPartitions(it -> {
                    List<Windowing.Window> out = new ArrayList<>();
                    List<float[]> steps = new ArrayList<>();
                    Object key = null;
                    Object time = null;
                    while (it.hasNext()) {
                        Row row = it.next();
                        boolean sameSeries = !steps.isEmpty() && Objects.equals(key, row.get(0));
                        if (!steps.isEmpty() && !sameSeries) {
                            cut(steps, length, horizon, stride, target, out);
                            steps.clear();
                        }
                        if (row.isNullAt(1)) {
                            // A row without a time has no place in its series.
                            throw new IllegalArgumentException("SparkSeries.windows: series " + row.get(0)
                                    + " has a row without " + orderColumn + " (null); every row needs its time");
                        }
                        // Two rows at one time would be ordered by chance, and so would the windows.
                        if (sameSeries && Objects.equals(time, row.get(1))) {
                            throw new IllegalArgumentException("SparkSeries.windows: series " + key + " has two rows at "
                                    + orderColumn + " = " + time + "; times must be unique within a series");
                        }
                        key = row.get(0);
                        time = row.get(1);
                        float[] step = new float[featureNames.size()];
                        for (int f = 0; f < step.length; f++) {
                            if (row.isNullAt(2 + f) || !Float.isFinite(row.getFloat(2 + f))) {
                                // A null here is a missing value or one the float cast could not read.
                                throw new IllegalArgumentException("SparkSeries.windows: series " + key + " at "
                                        + row.get(1) + " has " + (row.isNullAt(2 + f) ? "no number (missing or not numeric)"
                                        : "the value " + row.getFloat(2 + f)) + " in column '" + featureNames.get(f)
                                        + "', expected a finite number");
                            }
                            step[f] = row.getFloat(2 + f);
                        }
                        steps.add(step);
                    }
                    cut(steps, length, horizon, stride, target, out);
                    return out.iterator();
                }, true);
    }

    private static void cut(List<float[]> steps, int length, int horizon, int stride, int target,
                            List<Windowing.Window> out) {
        if (steps.size() < length + horizon) {
            return;
        }
        float[][] series = steps.toArray(float[][]::new);
        out.addAll(target < 0 ? Windowing.windows(series, length, horizon, stride)
                : Windowing.windows(series, length, horizon, stride, target));
    }
}
