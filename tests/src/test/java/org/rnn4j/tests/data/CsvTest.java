package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.training.data.Csv;

class CsvTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsAColumnByNameOrIndex() throws IOException {
        Path file = write("air.csv", "time,passengers_thousands\n1949-01,112\n1949-02,118\n1949-03,132.5\n");
        assertArrayEquals(new float[] {112, 118, 132.5f}, Csv.readColumn(file, "passengers_thousands"));
        assertArrayEquals(new float[] {112, 118, 132.5f}, Csv.readColumn(file, 1));
        assertEquals(List.of("time", "passengers_thousands"), Csv.header(file));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        Path file = write("mixed.csv", "\uFEFFlabel, \"value\"\r\n"
                + "\"Nasci no Brasil, sou negro\",1.5e2\r\n"
                + "\"ele disse \"\"oi\"\"\", -0.25\r\n"
                + "\"duas\nlinhas\",+3\r\n"
                + "\r\n"
                + "simples,.5\r\n");
        assertEquals(List.of("label", " \"value\""), Csv.header(file));
        assertArrayEquals(new float[] {150, -0.25f, 3, 0.5f}, Csv.readColumn(file, 1));
        var text = assertThrows(IOException.class, () -> Csv.readColumn(file, 0));
        assertTrue(text.getMessage().contains("line 2: column 0 'label' holds 'Nasci no Brasil, sou negro', expected a number"),
                text.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        Path missing = dir.resolve("nowhere.csv");
        var e = assertThrows(NoSuchFileException.class, () -> Csv.readColumn(missing, "x"));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("CSV file not found"), e.getMessage());
    }

    @Test
    void aMissingColumnListsTheHeader() throws IOException {
        Path file = write("air.csv", "time,passengers_thousands\n1949-01,112\n");
        var byName = assertThrows(IOException.class, () -> Csv.readColumn(file, "passengers"));
        assertTrue(byName.getMessage().contains(file + ": no column named 'passengers'; the header has 2 columns: 'time', "
                + "'passengers_thousands'"), byName.getMessage());
        var byIndex = assertThrows(IOException.class, () -> Csv.readColumn(file, 2));
        assertTrue(byIndex.getMessage().contains("no column 2; the header has 2 columns"), byIndex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Csv.readColumn(file, -1));
        var twice = assertThrows(IOException.class, () -> Csv.readColumn(write("twice.csv", "a,b,a\n1,2,3\n"), "a"));
        assertTrue(twice.getMessage().contains("two columns named 'a' (columns 0 and 2)"), twice.getMessage());
    }

    @Test
    void aBadCellNamesFileLineColumnAndText() throws IOException {
        // The quoted field spans lines 2 and 3, so the bad row is on line 5.
        Path file = write("bad.csv", "note,sales\n\"one\ntwo\",1\nok,2\nok,12,5x\n");
        var wrongWidth = assertThrows(IOException.class, () -> Csv.readColumn(file, "sales"));
        assertTrue(wrongWidth.getMessage().contains(file + ", line 5: has 3 fields, the header has 2"), wrongWidth.getMessage());

        Path notNumber = write("word.csv", "note,sales\n\"one\ntwo\",1\nok,2\nok,doze\n");
        var word = assertThrows(IOException.class, () -> Csv.readColumn(notNumber, "sales"));
        assertTrue(word.getMessage().contains(notNumber + ", line 5: column 1 'sales' holds 'doze', expected a number"),
                word.getMessage());

        for (String cell : List.of("NaN", "Infinity", "0x10", "1f", "1,5")) {
            Path file2 = write("cell.csv", "v\n1\n\"" + cell + "\"\n");
            var e = assertThrows(IOException.class, () -> Csv.readColumn(file2, "v"));
            assertTrue(e.getMessage().contains("line 3: column 0 'v' holds '" + cell + "'"), e.getMessage());
        }
        Path longCell = write("long.csv", "v\n\"linha\n" + "x".repeat(100) + "\"\n");
        var cut = assertThrows(IOException.class, () -> Csv.readColumn(longCell, "v"));
        assertTrue(cut.getMessage().contains("holds 'linha\\n" + "x".repeat(53) + "... (106 characters)'"), cut.getMessage());
        var huge = assertThrows(IOException.class, () -> Csv.readColumn(write("huge.csv", "v\n1e39\n"), 0));
        assertTrue(huge.getMessage().contains("outside the float range"), huge.getMessage());
        var missing = assertThrows(IOException.class, () -> Csv.readColumn(write("gap.csv", "d,ozone\n1,41\n2,\n"), "ozone"));
        assertTrue(missing.getMessage().contains("line 3: column 1 'ozone' is empty (a missing value)"), missing.getMessage());
    }

    @Test
    void malformedFilesAreClearErrors() throws IOException {
        var open = assertThrows(IOException.class, () -> Csv.readColumn(write("open.csv", "a,b\n1,\"2\n3,4\n"), "a"));
        assertTrue(open.getMessage().contains("line 2: a quoted field opened here is never closed"), open.getMessage());
        var after = assertThrows(IOException.class, () -> Csv.readColumn(write("after.csv", "a,b\n1,\"2\"x\n"), "a"));
        assertTrue(after.getMessage().contains("line 2: unexpected 'x' after a closing quote"), after.getMessage());
        var empty = assertThrows(IOException.class, () -> Csv.readColumn(write("empty.csv", "\n\n"), "a"));
        assertTrue(empty.getMessage().contains("empty file, expected a header row"), empty.getMessage());
        var headerOnly = assertThrows(IOException.class, () -> Csv.readColumn(write("header.csv", "a,b\n"), "a"));
        assertTrue(headerOnly.getMessage().contains("no rows under the header"), headerOnly.getMessage());
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[] {'a', '\n', (byte) 0xE7, '\n'});
        var encoding = assertThrows(IOException.class, () -> Csv.readColumn(latin1, "a"));
        assertTrue(encoding.getMessage().contains("not UTF-8"), encoding.getMessage());
    }
}
