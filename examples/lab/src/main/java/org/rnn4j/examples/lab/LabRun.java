package org.rnn4j.examples.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rnn4j.training.TrainingListener;

/**
 * Everything a lab needs from the runner: its size, seed and output folder, the user's data file
 * if one was given, the bundled data, and progress bars that follow training.
 *
 * @param size   how much work to do
 * @param seed   the seed of everything random
 * @param folder where the lab writes its charts
 * @param data   the user's data file given with {@code --data}, or null for the bundled data
 * @param out    where the lab prints what it finds
 */
record LabRun(Size size, long seed, Path folder, Path data, PrintStream out) {

    /** The text of a bundled data file (UTF-8; {@code .gz} files are decompressed), or of the user's file when given. */
    String text(String bundled) throws IOException {
        if (data != null) {
            if (!Files.isRegularFile(data)) {
                throw new NoSuchFileException(data.toString(), null, "data file not found");
            }
            try {
                return Files.readString(data);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IOException(data + " is not UTF-8 text; this lab reads a UTF-8 file", e);
            }
        }
        return bundled(bundled);
    }

    /** What {@link #text} reads, for messages: the user's file, or the bundled file's name. */
    String source(String bundled) {
        return data != null ? data.toString() : "bundled " + bundled;
    }

    /** The text of a bundled data file, ignoring {@code --data}. */
    static String bundled(String name) throws IOException {
        try (InputStream raw = LabRun.class.getResourceAsStream("data/" + name)) {
            if (raw == null) {
                throw new NoSuchFileException("data/" + name, null, "bundled data file missing from the lab's resources");
            }
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The last column of a bundled time-series CSV, or of the user's CSV when one was given (read
     * with the data pipeline's strict reader: a bad cell names its file, line and column).
     */
    double[] series(String bundled) throws IOException {
        float[] values;
        if (data != null) {
            java.util.List<String> header = org.rnn4j.training.data.Csv.header(data);
            values = org.rnn4j.training.data.Csv.readColumn(data, header.size() - 1);
        } else {
            java.util.List<String> lines = bundled(bundled).lines().skip(1).filter(l -> !l.isBlank()).toList();
            values = new float[lines.size()];
            for (int i = 0; i < values.length; i++) {
                String line = lines.get(i);
                values[i] = Float.parseFloat(line.substring(line.lastIndexOf(',') + 1));
            }
        }
        double[] series = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            series[i] = values[i];
        }
        return series;
    }

    /** A file in the lab's output folder. */
    Path file(String name) throws IOException {
        Files.createDirectories(folder);
        return folder.resolve(name);
    }

    /** Prints a formatted line. */
    void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
    }

    /**
     * A progress bar over {@code epochs} epochs that shows the training loss (and the validation
     * loss when there is one); close it when training ends.
     */
    Progress progress(String task, long epochs) {
        return new Progress(task, epochs);
    }

    /** A progress bar that listens to a trainer. */
    final class Progress implements TrainingListener, AutoCloseable {
        private final ProgressBar bar;

        private Progress(String task, long epochs) {
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250)
                    .continuousUpdate().build();
        }

        @Override
        public void onEpoch(EpochEvent event) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", event.train().loss())
                    + (event.validation() == null ? "" : String.format(Locale.ROOT, " val %.4f", event.validation().loss())));
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
