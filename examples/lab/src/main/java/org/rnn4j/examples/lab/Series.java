package org.rnn4j.examples.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Metadata;
import org.rnn4j.training.data.Csv;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train} and {@code predict}: one-step forecasters for a column of the user's CSV file. */
final class Series {

    private Series() {
    }

    /** The name of {@code column}, or of the CSV's last column when null. */
    static String columnName(Path csv, String column) throws java.io.IOException {
        return column != null ? column : Csv.header(csv).getLast();
    }

    /** The series in {@code column} of {@code csv} (the last column when null). */
    static double[] read(Path csv, String column) throws java.io.IOException {
        float[] values = Csv.readColumn(csv, columnName(csv, column));
        double[] series = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            series[i] = values[i];
        }
        return series;
    }

    /** {@code train}: fits a one-step forecaster and saves it, with what {@code predict} needs, in one file. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Trains a one-step forecaster on a column of a CSV file and saves it (safetensors, written atomically).")
    static final class TrainCommand implements Callable<Integer> {
        @Option(names = "--csv", required = true, description = "CSV file with a header row.")
        Path csv;

        @Option(names = "--column", description = "Column to forecast (default: the last one).")
        String column;

        @Option(names = "--model", required = true, description = "Where to save the model (.safetensors).")
        Path model;

        @Option(names = "--cell", defaultValue = "lstm", description = "Cell plugin name (default: ${DEFAULT-VALUE}).")
        String cell;

        @Option(names = "--hidden", defaultValue = "32", description = "Hidden size (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--window", defaultValue = "12", description = "Values the model reads per forecast (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--transform", defaultValue = "auto", description = "none, log or sqrt; auto takes log when every value is positive.")
        String transform;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (hidden < 1 || window < 1 || epochs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hidden, --window and --epochs must be >= 1, given "
                        + hidden + ", " + window + ", " + epochs);
            }
            if (Files.exists(model) && Files.exists(csv) && Files.isSameFile(model, csv)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--model names the input CSV " + csv
                        + "; saving there would replace the data");
            }
            if (Files.exists(model) && !isSavedModel(model)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--model " + model + " exists and is not a"
                        + " model saved by rnn4j; choose another path (only an earlier model is replaced)");
            }
            if (!java.util.Set.of("auto", "none", "log", "sqrt").contains(transform)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--transform must be auto, none, log or sqrt,"
                        + " given '" + transform + "'");
            }
            String trainedColumn = columnName(csv, column);
            double[] series = read(csv, trainedColumn);
            String name = transform.equals("auto")
                    ? (java.util.Arrays.stream(series).allMatch(v -> v > 0) ? "log" : "none") : transform;
            Forecasting f = new Forecasting(series, Forecasting.transform(name), window, 1, series.length);
            LabRun run = new LabRun(Size.DEFAULT, seed, model.toAbsolutePath().getParent(), null, System.out);
            SequenceModel trained = f.train(run, cell, hidden, epochs);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("forecast.window", Integer.toString(window));
            meta.put("forecast.transform", name);
            meta.put("forecast.scale", Double.toString(f.scale));
            meta.put("forecast.source", csv.getFileName() + ":" + trainedColumn);
            meta.put("forecast.column", trainedColumn);
            trained.save(model, meta);
            System.out.printf(Locale.ROOT, "saved %s (%s, window %d, %s transform, %d values)%n", model, trained, window, name,
                    series.length);
            return 0;
        }
    }

    /** {@code predict}: forecasts the values after the end of a series with a model saved by {@code train}. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Forecasts the next values of a CSV column with a model saved by 'train', feeding each forecast back.")
    static final class PredictCommand implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A model saved by 'train'.")
        Path model;

        @Option(names = "--csv", required = true, description = "CSV file holding the history.")
        Path csv;

        @Option(names = "--column", description = "Column of the history (default: the column the model was trained on).")
        String column;

        @Option(names = "--horizon", defaultValue = "12", description = "Values to forecast (default: ${DEFAULT-VALUE}).")
        int horizon;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (horizon < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--horizon must be >= 1, given " + horizon);
            }
            if (!Files.isRegularFile(model)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--model: no such file " + model);
            }
            SequenceModel loaded = SequenceModel.load(model);
            Map<String, String> meta = SafeTensors.readMetadata(model);
            String window = meta.get("forecast.window");
            String transform = meta.get("forecast.transform");
            String scale = meta.get("forecast.scale");
            if (window == null || transform == null || scale == null) {
                throw new ModelFileException(model, "not a forecaster saved by 'rnn4j train': metadata lacks forecast.window, "
                        + "forecast.transform or forecast.scale");
            }
            String trainedOn = meta.get("forecast.column");
            String history = column != null ? column : trainedOn;
            List<String> columns = Csv.header(csv);
            if (history != null && !columns.contains(history)) {
                throw new CommandLine.ParameterException(spec.commandLine(), csv + " has no column '" + history + "'"
                        + (column == null ? " (the column the model was trained on; name another with --column)" : "")
                        + "; its columns are " + columns);
            }
            if (column != null && trainedOn != null && !column.equals(trainedOn)) {
                System.err.println("note: the model was trained on column '" + trainedOn + "'; forecasting '" + column + "'");
            }
            double[] series = read(csv, history != null ? history : columns.getLast());
            int w = Metadata.integer(meta, "forecast.window");
            if (series.length < w) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the model reads " + w + " values, " + csv + " has "
                        + series.length);
            }
            Forecasting f = new Forecasting(series, Forecasting.transform(transform), w, 1, series.length,
                    Metadata.decimal(meta, "forecast.scale"));
            double[] forecast = f.recursive(loaded, series.length, horizon);
            for (int h = 0; h < horizon; h++) {
                System.out.printf(Locale.ROOT, "t+%d\t%.6g%n", h + 1, forecast[h]);
            }
            return 0;
        }
    }

    /** Whether {@code file} is a safetensors file that rnn4j saved (a model earlier {@code train} runs may replace). */
    private static boolean isSavedModel(Path file) {
        try {
            return SafeTensors.readMetadata(file).getOrDefault("format", "").startsWith("rnn4j-");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
