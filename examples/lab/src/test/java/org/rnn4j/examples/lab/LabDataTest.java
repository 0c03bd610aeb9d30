package org.rnn4j.examples.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The language and classification labs' readers and baselines. */
class LabDataTest {

    @Test
    void csvFieldsMayHoldQuotesCommasAndLineBreaks() {
        CsvTable t = CsvTable.parse("\uFEFFlabel,subject,body\r\nspam,\"Hi, \"\"you\"\"\",\"line 1\nline 2\"\nham,x,\n", "test.csv");
        assertEquals(2, t.size());
        assertEquals("Hi, \"you\"", t.get(0, t.column("subject")));
        assertEquals("line 1\nline 2", t.get(0, t.column("body")));
        assertEquals("", t.get(1, 2));
        assertEquals("test.csv line 4", t.where(1));
        assertTrue(t.has("label") && !t.has("group"));
    }

    @Test
    void csvErrorsNameTheFileAndLine() {
        var width = assertThrows(IllegalArgumentException.class, () -> CsvTable.parse("a,b\n1,2\n3\n", "f.csv"));
        assertEquals("f.csv line 3 has 1 fields, the header has 2 [a, b]", width.getMessage());
        var quote = assertThrows(IllegalArgumentException.class, () -> CsvTable.parse("a,b\n1,\"2\n3,4\n", "f.csv"));
        assertEquals("f.csv line 2: a quoted field is never closed", quote.getMessage());
        var column = assertThrows(IllegalArgumentException.class, () -> CsvTable.parse("a,b\n1,2\n", "f.csv").column("c"));
        assertEquals("f.csv has no column 'c'; its header is [a, b]", column.getMessage());
    }

    @Test
    void addOneBigramsAreDistributionsOverTheSymbols() {
        // Ids: 0 pad, 1 start, 2..4 symbols.
        List<int[]> data = List.of(new int[] {1, 2, 3, 4}, new int[] {1, 2, 2, 4});
        NGram bigram = NGram.bigram(data, 5, 3);
        for (int context = 1; context <= 4; context++) {
            double sum = 0;
            for (int next = 2; next <= 4; next++) {
                sum += Math.exp(bigram.logProbability(context, next));
            }
            assertEquals(1, sum, 1e-12);
        }
        // After 2: seen 2 once, 3 once, 4 once in 3 transitions -> (1 + 1) / (3 + 3).
        assertEquals(Math.log(2.0 / 6), bigram.logProbability(2, 3), 1e-12);
        NGram unigram = NGram.unigram(data, 5, 3);
        // 6 predicted tokens: 2 three times -> (3 + 1) / (6 + 3).
        assertEquals(Math.log(4.0 / 9), unigram.logProbability(4, 2), 1e-12);
        assertEquals(-(Math.log(4.0 / 9) + Math.log(2.0 / 9) + Math.log(3.0 / 9)) / 3 / Math.log(2),
                unigram.bits(List.of(new int[] {1, 2, 3, 4})), 1e-12);
    }

    @Test
    void passagesAreBlocksBetweenBlankLinesWithAttributionsJoined() {
        StringBuilder text = new StringBuilder("First one\r\n  indented\r\n\r\n--Author\n\n\n");
        for (int i = 0; i < 20; i++) {
            text.append("p").append(i).append("\n \n");
        }
        List<String> passages = CharLmLab.passages(text.toString(), "t.txt");
        assertEquals(21, passages.size());
        assertEquals("First one\n  indented\n\n--Author", passages.getFirst());
        var few = assertThrows(IllegalArgumentException.class, () -> CharLmLab.passages("a\n\nb", "t.txt"));
        assertEquals("lab 'charlm': t.txt has 2 passages separated by blank lines, expected at least 20", few.getMessage());
    }
}
