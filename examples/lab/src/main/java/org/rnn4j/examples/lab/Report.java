package org.rnn4j.examples.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.core.io.AtomicFiles;

/**
 * The lab's report folder: {@code results.md}, {@code results.csv} and {@code index.html} with the
 * charts, one section per lab. Each file, the charts' PNGs included, is written to a temporary name
 * and renamed, so an interrupted run never leaves a half-written file.
 */
final class Report {

    static final String CSV = "results.csv";
    static final String MARKDOWN = "results.md";
    static final String HTML = "index.html";
    /** The files a report writes in its folder, beside one folder per lab. */
    static final List<String> FILES = List.of(CSV, MARKDOWN, HTML);
    /** The first line of each report file, by which an earlier report's files are recognised. */
    private static final Map<String, String> FIRST_LINES = Map.of(
            CSV, "lab,model,metric,value,baseline,baseline_value,beats_baseline",
            MARKDOWN, "# rnn4j lab results",
            HTML, "<!DOCTYPE html>");

    private final Path folder;
    private final Map<Experiment, Findings> labs = new LinkedHashMap<>();

    Report(Path folder) {
        this.folder = folder;
    }

    /** Whether {@code file}, named as one of {@link #FILES}, begins as a report's file of that name does. */
    static boolean writtenByAReport(Path file) throws IOException {
        String first = FIRST_LINES.get(file.getFileName().toString());
        if (first == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return first.equals(reader.readLine());
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    void add(Experiment lab, Findings findings) {
        labs.put(lab, findings);
    }

    /** The results table as Markdown. */
    String table() {
        StringBuilder md = new StringBuilder("| lab | model | metric | value | baseline | baseline value | beats baseline |\n"
                + "| --- | --- | --- | ---: | --- | ---: | --- |\n");
        labs.forEach((lab, f) -> {
            for (Findings.Row r : f.rows) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", lab.name(), r.model(), r.metric(),
                        number(r.value()), r.baseline(), number(r.baselineValue()), r.beats() ? "yes" : "**no**"));
            }
        });
        return md.toString();
    }

    void write() throws IOException {
        Files.createDirectories(folder);
        StringBuilder csv = new StringBuilder(FIRST_LINES.get(CSV)).append('\n');
        labs.forEach((lab, f) -> {
            for (Findings.Row r : f.rows) {
                csv.append(String.join(",", lab.name(), quote(r.model()), quote(r.metric()), number(r.value()),
                        quote(r.baseline()), number(r.baselineValue()), Boolean.toString(r.beats()))).append('\n');
            }
        });
        StringBuilder md = new StringBuilder(FIRST_LINES.get(MARKDOWN)).append("\n\n").append(table());
        StringBuilder html = new StringBuilder(FIRST_LINES.get(HTML)).append("\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>rnn4j lab</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}"
                + ".no{color:#b00;font-weight:bold}img{max-width:100%}pre{background:#f4f4f4;padding:8px;white-space:pre-wrap}"
                + "</style></head><body><h1>rnn4j lab results</h1>\n");
        labs.forEach((lab, f) -> {
            md.append("\n## ").append(lab.name()).append(": ").append(lab.title()).append("\n\n");
            html.append("<h2>").append(escape(lab.name())).append(": ").append(escape(lab.title())).append("</h2>\n<table><tr>"
                    + "<th>model</th><th>metric</th><th>value</th><th>baseline</th><th>baseline value</th><th>beats</th></tr>\n");
            for (Findings.Row r : f.rows) {
                html.append("<tr><td>").append(escape(r.model())).append("</td><td>").append(escape(r.metric()))
                        .append("</td><td class=n>").append(number(r.value())).append("</td><td>").append(escape(r.baseline()))
                        .append("</td><td class=n>").append(number(r.baselineValue())).append("</td><td")
                        .append(r.beats() ? ">yes" : " class=no>no").append("</td></tr>\n");
            }
            html.append("</table>\n");
            for (String note : f.notes) {
                md.append("```\n").append(note).append("\n```\n\n");
                html.append("<pre>").append(escape(note)).append("</pre>\n");
            }
            for (Path chart : f.charts) {
                String relative = folder.relativize(chart).toString().replace('\\', '/');
                md.append("![").append(chart.getFileName()).append("](").append(relative).append(")\n\n");
                html.append("<p><img src=\"").append(escape(relative)).append("\" alt=\"").append(escape(chart.getFileName().toString()))
                        .append("\"></p>\n");
            }
        });
        html.append("</body></html>\n");
        AtomicFiles.write(folder.resolve(CSV), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(MARKDOWN), md.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(HTML), html.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
