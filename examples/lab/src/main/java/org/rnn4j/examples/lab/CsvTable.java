package org.rnn4j.examples.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * A CSV text read whole, its first record the header (RFC 4180: a quoted field may hold commas,
 * doubled quotes and line breaks; line ends may be {@code \n} or {@code \r\n}). Every error names
 * the source and the line.
 */
final class CsvTable {

    private final String source;
    private final List<String> header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();

    private CsvTable(String text, String source) {
        this.source = source;
        List<String> record = new ArrayList<>();
        List<List<String>> records = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        int quoteLine = 0;
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                quoteLine = line;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i += c == '\r' ? 1 : 0;
                record.add(field.toString());
                field.setLength(0);
                end(records, record, recordLine);
                record = new ArrayList<>();
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(source + " line " + quoteLine + ": a quoted field is never closed");
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            end(records, record, recordLine);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty; expected a CSV header and rows");
        }
        this.header = records.getFirst();
    }

    /** Keeps a finished record: the header, or a row that must have as many fields as the header. */
    private void end(List<List<String>> records, List<String> record, int line) {
        if (record.size() == 1 && record.getFirst().isEmpty()) {
            return;
        }
        if (!records.isEmpty() && record.size() != records.getFirst().size()) {
            throw new IllegalArgumentException(source + " line " + line + " has " + record.size() + " fields, the header has "
                    + records.getFirst().size() + " " + records.getFirst());
        }
        records.add(record);
        if (records.size() > 1) {
            rows.add(record.toArray(new String[0]));
            lines.add(line);
        }
    }

    /**
     * Reads {@code text}.
     *
     * @param source names the text in errors, e.g. the file
     * @throws IllegalArgumentException when a quote is never closed, a row's width differs from the
     *                                  header's, or there is no header
     */
    static CsvTable parse(String text, String source) {
        return new CsvTable(text, source);
    }

    /** Whether the header has a column named {@code name}. */
    boolean has(String name) {
        return header.contains(name);
    }

    /**
     * The index of the column named {@code name}.
     *
     * @throws IllegalArgumentException naming the columns there are, when there is none of that name
     */
    int column(String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(source + " has no column '" + name + "'; its header is " + header);
        }
        return index;
    }

    /** The number of rows after the header. */
    int size() {
        return rows.size();
    }

    /** The field of {@code row} (0 is the first after the header) in {@code column}. */
    String get(int row, int column) {
        return rows.get(row)[column];
    }

    /** Where {@code row} starts, for messages: the source and the line. */
    String where(int row) {
        return source + " line " + lines.get(row);
    }
}
