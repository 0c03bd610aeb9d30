package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A table of text cells, written as Markdown (first column left-aligned, the rest right-aligned) or as CSV. */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; {@code null} cells are written empty. */
    void add(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c.toString()).toList());
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("| ").append(String.join(" | ", headers)).append(" |\n|---|");
        s.append("---:|".repeat(headers.size() - 1)).append('\n');
        for (List<String> row : rows) {
            s.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return s.toString();
    }

    String csv() {
        StringBuilder s = new StringBuilder(csvLine(headers)).append('\n');
        rows.forEach(r -> s.append(csvLine(r)).append('\n'));
        return s.toString();
    }

    private static String csvLine(List<String> cells) {
        return cells.stream().map(c -> c.contains(",") || c.contains("\"") ? "\"" + c.replace("\"", "\"\"") + "\"" : c)
                .collect(Collectors.joining(","));
    }
}
