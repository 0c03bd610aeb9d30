package org.rnn4j.training.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads numeric columns of a CSV file (RFC 4180: UTF-8, a header row, comma-separated fields,
 * fields quoted with {@code "} when they hold a comma, a quote (doubled) or a line break), for
 * pointing rnn4j at one's own data. Strict: every row must have as many fields as the header and
 * every cell of the column read must be a decimal number, so nothing is skipped or cut short
 * silently; the errors name the file, the line, the column and the text found. Empty lines are
 * skipped; header names and cells are compared and parsed without surrounding spaces.
 */
public final class Csv {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Csv() {
    }

    /**
     * The names in the header row of {@code file}.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException         when it cannot be read, is not UTF-8, or is not valid CSV
     */
    public static List<String> header(Path file) throws IOException {
        return new Parser(file, read(file)).header();
    }

    /**
     * The values of the column named {@code column} in the header (compared without surrounding spaces).
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException         when it cannot be read or is not valid CSV, the header has no such
     *                             column or has it twice, a row has the wrong number of fields, or a
     *                             cell is not a number within the float range
     */
    public static float[] readColumn(Path file, String column) throws IOException {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("Csv.readColumn: expected a column name, given "
                    + (column == null ? "null" : "'" + column + "'"));
        }
        Parser parser = new Parser(file, read(file));
        List<String> header = parser.header();
        int index = -1;
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).strip().equals(column.strip())) {
                if (index >= 0) {
                    throw new IOException(file + ": the header has two columns named '" + column.strip() + "' (columns "
                            + index + " and " + c + ")");
                }
                index = c;
            }
        }
        if (index < 0) {
            throw new IOException(file + ": no column named '" + column.strip() + "'; the header has " + describe(header));
        }
        return values(parser, index);
    }

    /**
     * The values of column {@code index} (0-based).
     *
     * @throws IllegalArgumentException when {@code index < 0}
     * @throws IOException              as {@link #readColumn(Path, String)}, or when the header has
     *                                  no more than {@code index} columns
     */
    public static float[] readColumn(Path file, int index) throws IOException {
        if (index < 0) {
            throw new IllegalArgumentException("Csv.readColumn: expected a column index >= 0, given " + index);
        }
        Parser parser = new Parser(file, read(file));
        List<String> header = parser.header();
        if (index >= header.size()) {
            throw new IOException(file + ": no column " + index + "; the header has " + describe(header));
        }
        return values(parser, index);
    }

    private static String read(Path file) throws IOException {
        try {
            String text = Files.readString(file);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "CSV file not found");
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
    }

    private static String describe(List<String> header) {
        List<String> quoted = new ArrayList<>(header.size());
        for (String name : header) {
            quoted.add("'" + name.strip() + "'");
        }
        return header.size() + " columns: " + String.join(", ", quoted);
    }

    /** A cell as an error shows it: on one line, and cut short when long (a CSV cell may be a whole e-mail). */
    private static String shown(String cell) {
        String line = cell.replace("\n", "\\n");
        if (line.codePointCount(0, line.length()) <= 60) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, 60)) + "... (" + cell.length() + " characters)";
    }

    private static float[] values(Parser parser, int index) throws IOException {
        int width = parser.header().size();
        String name = parser.header().get(index).strip();
        float[] values = new float[16];
        int n = 0;
        for (List<String> row = parser.next(); row != null; row = parser.next()) {
            if (row.size() != width) {
                throw parser.error("has " + row.size() + " fields, the header has " + width);
            }
            String cell = row.get(index).strip();
            String where = "column " + index + " '" + name + "'";
            if (cell.isEmpty()) {
                throw parser.error(where + " is empty (a missing value), expected a number");
            }
            if (!NUMBER.matcher(cell).matches()) {
                throw parser.error(where + " holds '" + shown(cell) + "', expected a number");
            }
            float v = Float.parseFloat(cell);
            if (!Float.isFinite(v)) {
                throw parser.error(where + " holds " + cell + ", outside the float range");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, 2 * n);
            }
            values[n++] = v;
        }
        if (n == 0) {
            throw new IOException(parser.file + ": no rows under the header");
        }
        return Arrays.copyOf(values, n);
    }

    /** Splits CSV text into records, tracking the line each record starts on. */
    private static final class Parser {
        private final Path file;
        private final String text;
        private final List<String> header;
        private int pos;
        private int line = 1;
        private int recordLine;

        Parser(Path file, String text) throws IOException {
            this.file = file;
            this.text = text;
            this.header = next();
            if (header == null) {
                throw new IOException(file + ": empty file, expected a header row");
            }
        }

        List<String> header() {
            return header;
        }

        IOException error(String problem) {
            return new IOException(file + ", line " + recordLine + ": " + problem);
        }

        /** The next record, or null at the end of the text. */
        List<String> next() throws IOException {
            while (pos < text.length() && lineEnd()) {
                // skips an empty line
            }
            if (pos >= text.length()) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            while (true) {
                fields.add(pos < text.length() && text.charAt(pos) == '"' ? quoted() : unquoted());
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < text.length() && !lineEnd()) {
                    throw error("unexpected '" + text.charAt(pos) + "' after a closing quote, expected ',' or a line end");
                }
                return fields;
            }
        }

        /** Consumes a line end ({@code \n}, {@code \r\n} or {@code \r}) at the position, if there is one. */
        private boolean lineEnd() {
            char c = text.charAt(pos);
            if (c != '\n' && c != '\r') {
                return false;
            }
            pos += c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n' ? 2 : 1;
            line++;
            return true;
        }

        private String unquoted() {
            int start = pos;
            while (pos < text.length() && ",\r\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quoted() throws IOException {
            int openedOn = line;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '"') {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                        sb.append('"');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    return sb.toString();
                }
                if (lineEnd()) {
                    sb.append('\n');
                    continue;
                }
                sb.append(c);
                pos++;
            }
            throw new IOException(file + ", line " + openedOn + ": a quoted field opened here is never closed");
        }
    }
}
