package org.rnn4j.tests.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.Vocabulary;
import org.rnn4j.training.data.WordTokenizer;

class TokenizerTest {

    private static final String POEM = """
            Nasci no Brasil, sou negro.
            Não há coração que não se lembre da avó, do pão e da ação!
            Você é à beça; "Àquela" ilha é d'água, com guarda-chuva?""";

    @Test
    void charactersRoundTripWithPortugueseAccents() {
        CharTokenizer chars = CharTokenizer.fit(POEM, 1, Integer.MAX_VALUE);
        int[] ids = chars.encode(POEM);
        assertEquals(POEM.codePointCount(0, POEM.length()), ids.length);
        assertEquals(POEM, chars.decode(ids));
        assertEquals(List.of("N", "ã", "o"), chars.split("Não"));
        assertTrue(chars.vocabulary().contains("ç") && chars.vocabulary().contains("À"));
    }

    @Test
    void charactersAreCodePointsNotUtf16Units() {
        String text = "𝄞 clave 😀";
        CharTokenizer chars = CharTokenizer.fit(text, 1, 100);
        assertEquals(List.of("𝄞", " ", "c", "l", "a", "v", "e", " ", "😀"), chars.split(text));
        assertEquals(9, chars.encode(text).length);
        assertEquals(text, chars.decode(chars.encode(text)));
    }

    @Test
    void bosAndEosWrapTheIdsAndDecodeDropsThem() {
        CharTokenizer chars = CharTokenizer.fit("pão", 1, 100);
        int[] ids = chars.encode("pão", true);
        assertEquals(5, ids.length);
        assertEquals(Vocabulary.BOS, ids[0]);
        assertEquals(Vocabulary.EOS, ids[4]);
        assertEquals("pão", chars.decode(ids));
        assertEquals("pão", chars.decode(new int[] {Vocabulary.BOS, ids[1], ids[2], ids[3], Vocabulary.EOS, Vocabulary.PAD}));
    }

    @Test
    void unknownCharactersEncodeAsUnkAndDecodeAsItsToken() {
        CharTokenizer chars = CharTokenizer.fit("abc", 1, 100);
        int[] ids = chars.encode("açb");
        assertEquals(Vocabulary.UNK, ids[1]);
        assertEquals("a<unk>b", chars.decode(ids));
        var e = assertThrows(IllegalArgumentException.class, () -> chars.decode(new int[] {99}));
        assertTrue(e.getMessage().contains("id 99"), e.getMessage());
    }

    @Test
    void wordsAndPunctuationAreSeparateTokensAndWhitespaceIsDropped() {
        WordTokenizer words = WordTokenizer.fit(POEM, false, 1, 1000);
        assertEquals(List.of("Nasci", "no", "Brasil", ",", "sou", "negro", "."), words.split("Nasci  no\tBrasil,\nsou\u00A0negro."));
        assertEquals(List.of("Você", "é", "à", "beça", ";", "\"", "Àquela", "\"", "ilha", "é", "d'água", ",", "com",
                "guarda-chuva", "?"), words.split("Você é à beça; \"Àquela\" ilha é d'água, com guarda-chuva?"));
        assertEquals("Nasci no Brasil, sou negro.", words.decode(words.encode("Nasci no Brasil, sou negro.")));
        assertEquals("Não há coração que não se lembre da avó, do pão e da ação!",
                words.decode(words.encode("Não há coração que não se lembre da avó, do pão e da ação!", true)));
    }

    @Test
    void lowerCasingMergesCapitalizedWords() {
        WordTokenizer cased = WordTokenizer.fit(POEM, false, 1, 1000);
        WordTokenizer lower = WordTokenizer.fit(POEM, true, 1, 1000);
        assertTrue(cased.vocabulary().contains("Não") && cased.vocabulary().contains("não"));
        assertTrue(!lower.vocabulary().contains("Não") && lower.vocabulary().contains("não"));
        assertEquals(cased.vocabulary().size() - 1, lower.vocabulary().size()); // only "Não" had a lower-case twin
        assertEquals("nasci no brasil, sou negro.", lower.decode(lower.encode("Nasci no Brasil, SOU NEGRO.")));
        assertTrue(lower.lowerCase());
    }

    @Test
    void theVocabularyIsBuiltWithMinCount() {
        WordTokenizer words = WordTokenizer.fit(POEM, true, 2, 1000);
        // Tokens seen at least twice, most frequent first, then in String order.
        assertEquals(List.of("<pad>", "<unk>", "<bos>", "<eos>", ",", "\"", "da", "não", "é"), words.vocabulary().tokens());
        assertEquals("<unk> <unk> não, <unk>", words.decode(words.encode("Eu sou não, tu")));
    }

    /** Text over every Unicode code point, supplementary ones (emoji, CJK extensions) included; jqwik's strings stop at U+FFFF. */
    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(Character::toString).list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Property(tries = 200)
    void anyTextRoundTripsThroughTheCharactersItWasFittedOn(@ForAll("anyText") String text) {
        CharTokenizer chars = CharTokenizer.fit(text, 1, Integer.MAX_VALUE);
        int[] ids = chars.encode(text, true);
        assertEquals(text, chars.decode(ids));
        assertArrayEquals(ids, new CharTokenizer(chars.vocabulary()).encode(chars.decode(ids), true));
    }
}
