package org.rnn4j.examples.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List<String> rows = Files.readAllLines(out.resolve("results.csv")).stream().skip(1).toList();
        assertFalse(rows.isEmpty(), "the lab reported no result");
        for (String row : rows) {
            assertTrue(row.startsWith(lab + ","), row);
            assertTrue(row.endsWith(",true"), "does not beat its baseline: " + row);
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
    }

    @Test
    void trainThenPredictOnTheUsersCsv(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("series.csv");
        StringBuilder text = new StringBuilder("t,value\n");
        for (int i = 0; i < 120; i++) {
            text.append(i).append(',').append(10 + 3 * Math.sin(2 * Math.PI * i / 12) + 0.05 * i).append('\n');
        }
        Files.writeString(csv, text);
        Path model = dir.resolve("model.safetensors");
        assertEquals(0, Cli.commandLine().execute("train", "--csv", csv.toString(), "--model", model.toString(),
                "--epochs", "40", "--hidden", "8"));
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
        double first = Double.parseDouble(lines.getFirst().split("\t")[1]);
        double truth = 10 + 3 * Math.sin(2 * Math.PI * 120 / 12) + 0.05 * 120;
        assertTrue(Math.abs(first - truth) < 2, "forecast " + first + " for about " + truth);
    }
}
