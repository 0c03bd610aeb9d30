package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.training.data.Vocabulary;

class VocabularyTest {

    private static final List<String> TEXT = List.of("sou", "negro", "sou", "de", "são", "paulo", "sou", "negro", "ação");

    @TempDir
    Path dir;

    @Test
    void specialTokensHaveFixedIdsAndTheRestIsOrderedByCountThenToken() {
        Vocabulary v = Vocabulary.build(TEXT, 1, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "sou", "negro", "ação", "de", "paulo", "são"), v.tokens());
        assertEquals(0, v.id(Vocabulary.PAD_TOKEN));
        assertEquals(1, v.id(Vocabulary.UNK_TOKEN));
        assertEquals(2, v.id(Vocabulary.BOS_TOKEN));
        assertEquals(3, v.id(Vocabulary.EOS_TOKEN));
        assertEquals(4, v.id("sou"));
        assertEquals("negro", v.token(5));
        assertEquals(10, v.size());
    }

    @Test
    void theSameTokensInAnyOrderGiveTheSameVocabulary() {
        List<String> shuffled = new ArrayList<>(TEXT);
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(Vocabulary.build(TEXT, 1, 100), Vocabulary.build(shuffled, 1, 100));
    }

    @Test
    void minCountAndMaxSizeSendRareTokensToUnk() {
        Vocabulary frequent = Vocabulary.build(TEXT, 2, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "sou", "negro"), frequent.tokens());
        assertEquals(Vocabulary.UNK, frequent.id("paulo"));
        assertFalse(frequent.contains("paulo"));
        assertTrue(frequent.contains("<unk>"));

        Vocabulary small = Vocabulary.build(TEXT, 1, 5);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "sou"), small.tokens());
        assertEquals(Vocabulary.UNK, small.id("negro"));
    }

    @Test
    void specialTokensInTheTextAreNotCountedAgain() {
        Vocabulary v = Vocabulary.build(List.of("<eos>", "a", "<eos>", "<pad>"), 1, 100);
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a"), v.tokens());
    }

    @Test
    void countsMadeElsewhereGiveWhatBuildGives() {
        Map<String, Long> counts = Map.of("sou", 3L, "negro", 2L, "de", 1L, "são", 1L, "paulo", 1L, "ação", 1L, "<eos>", 5L);

        assertEquals(Vocabulary.build(TEXT, 1, 100), Vocabulary.fromCounts(counts, 1, 100));
        assertEquals(Vocabulary.build(TEXT, 2, 5), Vocabulary.fromCounts(counts, 2, 5));
        var zero = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromCounts(Map.of("a", 0L), 1, 10));
        assertTrue(zero.getMessage().contains("'a' with 0"), zero.getMessage());
    }

    @Test
    void aVocabularyRebuildsFromItsTokensAndBadTokenListsAreNamed() {
        Vocabulary v = Vocabulary.build(TEXT, 1, 100);
        assertEquals(v, Vocabulary.of(v.tokens()));

        var order = assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("<unk>", "<pad>", "<bos>", "<eos>")));
        assertTrue(order.getMessage().contains("must start with the special tokens"), order.getMessage());
        var twice = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of("<pad>", "<unk>", "<bos>", "<eos>", "a", "a")));
        assertTrue(twice.getMessage().contains("'a' twice, at ids 4 and 5"), twice.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        var id = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(TEXT, 1, 100).token(10));
        assertTrue(id.getMessage().contains("id 10") && id.getMessage().contains("size 10"), id.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(TEXT, 1, 100).token(-1));
        var min = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(TEXT, 0, 100));
        assertTrue(min.getMessage().contains("minCount must be >= 1, given 0"), min.getMessage());
        var max = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(TEXT, 1, 3));
        assertTrue(max.getMessage().contains("maxSize must be >= 4"), max.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of("a", ""), 1, 10));
        assertTrue(empty.getMessage().contains("token 1"), empty.getMessage());
    }

    @Test
    void aSavedVocabularyLoadsBackIdentically() throws IOException {
        Vocabulary v = Vocabulary.build(List.of("Nasci", "no", "Brasil", ",", "sou", "negro", "\"", "\\", "\n", "😀"), 1, 100);
        Path file = dir.resolve("vocab.json");
        v.save(file);
        Vocabulary back = Vocabulary.load(file);
        assertEquals(v, back);
        assertEquals(v.id("negro"), back.id("negro"));
        assertEquals(v.id("😀"), back.id("😀"));
        // Written atomically: no temporary file is left beside it.
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        v.save(file);
        assertEquals(v, Vocabulary.load(file));
    }

    @Test
    void corruptFilesAreModelFileErrorsNamingFileAndProblem() throws IOException {
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":1,\"tokens\":[\"<pad>\",", "invalid JSON");
        assertCorrupt("[1, 2]", "not a saved vocabulary");
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":2,\"tokens\":[]}", "format_version is 2");
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":1,\"tokens\":\"abc\"}", "must be an array");
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":1,\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",7]}",
                "token 4 must be a non-empty string, found 7");
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":1,\"tokens\":[\"<unk>\",\"<pad>\",\"<bos>\",\"<eos>\"]}",
                "must start with the special tokens");
        assertCorrupt("{\"format\":\"rnn4j-vocabulary\",\"format_version\":1,\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",\"a\",\"a\"]}",
                "token 'a' twice, at ids 4 and 5");

        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        var e = assertThrows(ModelFileException.class, () -> Vocabulary.load(binary));
        assertTrue(e.getMessage().contains("binary.json") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    private void assertCorrupt(String content, String problem) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        var e = assertThrows(ModelFileException.class, () -> Vocabulary.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(problem), e.getMessage());
    }
}
