package org.rnn4j.examples.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every lab, in its tiny mode, through the command line: it writes its report and beats its baselines. */
class LabIntegrationTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static Stream<String> labs() {
        return Cli.LABS.stream().map(Experiment::name);
    }

    @ParameterizedTest
    @MethodSource("labs")
    void aTinyRunWritesItsReportAndBeatsItsBaselines(String lab, @TempDir Path out) throws IOException {
        int status = Cli.commandLine().execute("lab", lab, "--tiny", "--out", out.toString());
        assertEquals(0, status);
        for (String file : List.of("index.html", "results.md", "results.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        String text = Files.readString(out.resolve("results.csv"));
        assertEquals(RESULTS_HEADER, text.lines().findFirst().orElseThrow());
        // Every row has the header's seven cells: the table rejects a row of another width.
        CsvTable table = CsvTable.parse(text, "results.csv");
        assertTrue(table.size() > 0, "the lab reported no result");
        for (int r = 0; r < table.size(); r++) {
            List<String> cells = cells(table, r);
            String row = table.where(r) + ": " + cells;
            assertEquals(lab, cells.get(0), row);
            String metric = cells.get(2);
            double value = number(cells.get(3));
            double baseline = number(cells.get(5));
            // A baseline may diverge (training without clipping ends at inf); the model may not.
            assertTrue(Double.isFinite(value) && !Double.isNaN(baseline), row);
            // Recomputed here, by the metric's own direction, rather than trusting the lab's verdict;
            // the CSV rounds to four digits, so a win smaller than that prints as a tie.
            boolean beats = lowerIsBetter(metric) ? value <= baseline : value >= baseline;
            assertTrue(beats, "does not beat its baseline (" + metric + (lowerIsBetter(metric) ? ", lower" : ", higher")
                    + " is better): " + row);
            assertEquals("true", cells.get(6), "the report's verdict disagrees with its numbers: " + row);
        }
        try (Stream<Path> charts = Files.list(out.resolve(lab))) {
            List<Path> pngs = charts.filter(p -> p.toString().endsWith(".png")).toList();
            assertFalse(pngs.isEmpty(), "no chart");
            for (Path png : pngs) {
                byte[] head = Files.readAllBytes(png);
                assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', png + " is not a PNG");
                assertTrue(Files.readString(out.resolve("index.html")).contains(lab + "/" + png.getFileName()), png.toString());
            }
        }
    }

    /** The lab metrics whose smaller values are better (errors, losses, bits), and those whose larger ones are. */
    private static final java.util.Set<String> LOWER_IS_BETTER = java.util.Set.of("RMSE", "RMSE ppm", "held-out bits/char",
            "PER", "WER", "PER, greedy", "final training MSE", "held-out MSE");
    private static final java.util.Set<String> HIGHER_IS_BETTER = java.util.Set.of("held-out accuracy",
            "held-out F1 (spam)", "held-out log-likelihood per char (nats)");
    /** The share of the last step's gradient that reaches step 0: the more, the less it vanishes. */
    private static final java.util.regex.Pattern GRADIENT_RATIO =
            java.util.regex.Pattern.compile("\\|\\|dL/ds_0\\|\\| / \\|\\|dL/ds_\\d+\\|\\|");

    /**
     * Whether smaller values of {@code metric} are better, from the table above; a metric missing
     * from it fails, so that a new lab metric cannot pass unchecked.
     */
    private static boolean lowerIsBetter(String metric) {
        if (LOWER_IS_BETTER.contains(metric)) {
            return true;
        }
        if (HIGHER_IS_BETTER.contains(metric) || GRADIENT_RATIO.matcher(metric).matches()) {
            return false;
        }
        throw new AssertionError("metric '" + metric + "' has no direction in LabIntegrationTest's table: add it");
    }

    /** A number as the report writes it: "inf" and "-inf" for infinities, "n/a" for NaN. */
    private static double number(String cell) {
        return switch (cell) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "n/a" -> Double.NaN;
            default -> Double.parseDouble(cell);
        };
    }

    /** The header of {@code results.csv}. */
    private static final String RESULTS_HEADER = "lab,model,metric,value,baseline,baseline_value,beats_baseline";

    /** The cells of {@code row} of {@code table}, in the header's order. */
    private static List<String> cells(CsvTable table, int row) {
        return java.util.stream.IntStream.range(0, RESULTS_HEADER.split(",").length).mapToObj(c -> table.get(row, c)).toList();
    }

    @Test
    void theDirectionTableAndTheCsvReaderWork() {
        CsvTable quoted = CsvTable.parse(RESULTS_HEADER + "\n"
                + "g2p,\"no attention, greedy\",\"PER, greedy\",0.25,\"say \"\"x\"\"\",0.5,true\n", "results.csv");
        assertEquals(List.of("g2p", "no attention, greedy", "PER, greedy", "0.25", "say \"x\"", "0.5", "true"),
                cells(quoted, 0));
        assertTrue(lowerIsBetter("RMSE"));
        assertFalse(lowerIsBetter("held-out accuracy"));
        assertFalse(lowerIsBetter("||dL/ds_0|| / ||dL/ds_99||"));
        assertThrows(AssertionError.class, () -> lowerIsBetter("some new metric"));
    }

    @Test
    void badArgumentsAreRejectedWithAMessage(@TempDir Path out) {
        var err = new java.io.StringWriter();
        var cli = Cli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute("lab", "nosuchlab", "--out", out.toString()));
        assertTrue(err.toString().contains("unknown lab 'nosuchlab'") && err.toString().contains("forecast"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("lab", "forecast", "--data", out.resolve("missing.csv").toString()));
        assertTrue(err.toString().contains("no such file"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("predict", "--csv", "x.csv"));
        assertTrue(err.toString().contains("--model"), err.toString());
    }

    @Test
    void noUserFileIsOverwritten(@TempDir Path dir) throws IOException {
        var err = new java.io.StringWriter();
        var cli = Cli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
        assertEquals(2, cli.execute("lab", "forecast", "--tiny", "--out", dir.toString()));
        assertTrue(err.toString().contains("holds notes.txt") && err.toString().contains("new or empty folder"), err.toString());
        Path csv = Files.writeString(dir.resolve("data.csv"), "value\n1\n2\n");
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("train", "--csv", csv.toString(), "--model", csv.toString()));
        assertTrue(err.toString().contains("--model names the input CSV"), err.toString());
        assertEquals("mine", Files.readString(notes));
        assertEquals("value\n1\n2\n", Files.readString(csv));

        err.getBuffer().setLength(0);
        Path model = Files.writeString(dir.resolve("plans.safetensors"), "not a model");
        assertEquals(2, cli.execute("train", "--csv", csv.toString(), "--model", model.toString()));
        assertTrue(err.toString().contains("exists and is not a model saved by rnn4j"), err.toString());
        assertEquals("not a model", Files.readString(model));

        // A file of a report's name that a report did not write, and the --data file, are the user's.
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path results = Files.writeString(mine.resolve("results.csv"), "date,amount\n1,2\n");
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("lab", "forecast", "--tiny", "--out", mine.toString()));
        assertTrue(err.toString().contains("holds results.csv, which does not begin as a report's"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("lab", "forecast", "--tiny", "--data", results.toString(), "--out", mine.toString()));
        assertTrue(err.toString().contains("lies in --out"), err.toString());
        assertEquals("date,amount\n1,2\n", Files.readString(results));
        Path chartsOnly = Files.createDirectories(dir.resolve("report").resolve("forecast"));
        Files.writeString(chartsOnly.resolve("readme.txt"), "mine");
        err.getBuffer().setLength(0);
        assertEquals(2, cli.execute("lab", "forecast", "--tiny", "--out", dir.resolve("report").toString()));
        assertTrue(err.toString().contains("holds forecast/readme.txt, which no lab report writes"), err.toString());
    }

    @Test
    void anEarlierReportIsReplacedWhole(@TempDir Path dir) throws IOException {
        Path earlier = Files.createDirectories(dir.resolve("names"));
        Files.write(earlier.resolve("samples.png"), new byte[] {1});
        Files.writeString(dir.resolve("results.csv"), "lab,model,metric,value,baseline,baseline_value,beats_baseline\n"
                + "names,x,y,1,z,2,true\n");
        assertEquals(0, Cli.commandLine().execute("lab", "forecast", "--tiny", "--out", dir.toString()));
        assertFalse(Files.exists(earlier), "the earlier run's lab folder is gone with its report");
        List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(rows.size() > 1 && rows.stream().skip(1).allMatch(r -> r.startsWith("forecast,")), rows.toString());
    }

    @Test
    void trainThenPredictOnTheUsersCsv(@TempDir Path dir) throws IOException {
        // The forecast column is not the last one: predict must read the column the model was trained on.
        Path csv = dir.resolve("series.csv");
        StringBuilder text = new StringBuilder("t,value,noise\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int i = 0; i < 120; i++) {
            text.append(i).append(',').append(season(i)).append(',').append(100 * rng.nextDouble()).append('\n');
        }
        Files.writeString(csv, text);
        Path model = dir.resolve("model.safetensors");
        assertEquals(0, Cli.commandLine().execute("train", "--csv", csv.toString(), "--column", "value", "--model",
                model.toString(), "--epochs", "40", "--hidden", "8"));
        assertTrue(Files.isRegularFile(model));
        var out = new java.io.ByteArrayOutputStream();
        var saved = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertEquals(0, Cli.commandLine().execute("predict", "--model", model.toString(), "--csv", csv.toString(),
                    "--horizon", "12"));
        } finally {
            System.setOut(saved);
        }
        List<String> lines = out.toString().lines().toList();
        assertEquals(12, lines.size(), out.toString());
        double model2 = 0;
        double lastValue = 0;
        for (int h = 0; h < 12; h++) {
            double truth = season(120 + h);
            double forecast = Double.parseDouble(lines.get(h).split("\t")[1]);
            model2 += (forecast - truth) * (forecast - truth);
            lastValue += (season(119) - truth) * (season(119) - truth);
        }
        double rmse = Math.sqrt(model2 / 12);
        double naive = Math.sqrt(lastValue / 12);
        assertTrue(rmse < 0.5 * naive, "forecast RMSE " + rmse + " over 12 steps, repeating the last value " + naive
                + ": " + out);
    }

    /** A seasonal series with a slow trend. */
    private static double season(int i) {
        return 10 + 3 * Math.sin(2 * Math.PI * i / 12) + 0.05 * i;
    }
}
