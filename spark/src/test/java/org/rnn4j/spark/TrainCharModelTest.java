package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Spark application's command line, up to where it would start Spark. */
class TrainCharModelTest {

    @Test
    void helpPrintsEveryOptionTheParserKnowsAndStartsNothing() throws Exception {
        for (String flag : new String[] {"--help", "-h"}) {
            PrintStream saved = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                TrainCharModel.run(new String[] {"--cell", "gru", flag});
            } finally {
                System.setOut(saved);
            }
            assertEquals(TrainCharModel.USAGE, printed.toString(StandardCharsets.UTF_8));
        }
        // The parser's own list of known options, from its error for an unknown one.
        var e = assertThrows(IllegalArgumentException.class, () -> TrainCharModel.run(new String[] {"--hiden", "8"}));
        String message = e.getMessage();
        assertTrue(message.startsWith("TrainCharModel: unknown option --hiden; known: "), message);
        String known = message.substring(message.indexOf("known: ") + 7, message.indexOf(" (--help"));
        for (String option : known.split(", ")) {
            assertTrue(TrainCharModel.USAGE.contains("  " + option + " "), option + " is missing from the help");
        }
    }

    @Test
    void theParserAcceptsEveryOptionTheHelpLists() {
        List<String> listed = TrainCharModel.USAGE.lines().map(String::strip).filter(l -> l.startsWith("--"))
                .map(l -> l.split(" ")[0]).toList();
        assertEquals(12, listed.size(), listed.toString());
        for (String option : listed) {
            // An option the parser accepts lets it reach the unknown one after it.
            String[] args = option.equals("--local") ? new String[] {option, "--zz", "1"}
                    : new String[] {option, "1", "--zz", "1"};
            var e = assertThrows(IllegalArgumentException.class, () -> TrainCharModel.run(args), option);
            assertTrue(e.getMessage().startsWith("TrainCharModel: unknown option --zz;"), option + ": " + e.getMessage());
        }
        var missing = assertThrows(IllegalArgumentException.class, () -> TrainCharModel.run(new String[] {"--input", "--epochs", "3"}));
        assertTrue(missing.getMessage().contains("--input needs a value, given the option --epochs"), missing.getMessage());
    }

    @Test
    void optionsThatExcludeEachOtherAreRefusedBeforeSparkStarts() {
        var lines = assertThrows(IllegalArgumentException.class,
                () -> TrainCharModel.run(new String[] {"--input", "corpus.txt", "--lines", "100"}));
        assertEquals("TrainCharModel: --lines sizes the generated corpus, and --input corpus.txt replaces it; give one"
                + " of them", lines.getMessage());
        var partitions = assertThrows(IllegalArgumentException.class,
                () -> TrainCharModel.run(new String[] {"--local", "--partitions", "4"}));
        assertTrue(partitions.getMessage().contains("--partitions splits the data over Spark, and --local"),
                partitions.getMessage());
    }

    @Test
    void theVocabularyIsSavedBesideTheModel() {
        assertEquals(java.nio.file.Path.of("runs/lm.vocabulary.json"),
                TrainCharModel.vocabularyBeside(java.nio.file.Path.of("runs/lm.safetensors")));
        assertEquals(java.nio.file.Path.of("lm.bin.vocabulary.json"),
                TrainCharModel.vocabularyBeside(java.nio.file.Path.of("lm.bin")));
    }
}
