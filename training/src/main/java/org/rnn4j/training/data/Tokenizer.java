package org.rnn4j.training.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into token ids through a {@link Vocabulary} and back. Tokens the vocabulary lacks
 * encode as {@link Vocabulary#UNK}.
 */
public interface Tokenizer {

    /** The tokens of {@code text}, before the vocabulary is applied. */
    List<String> split(String text);

    /** Joins tokens back into text; the inverse of {@link #split} as far as the split kept the text. */
    String join(List<String> tokens);

    /** The vocabulary that maps the tokens to ids. */
    Vocabulary vocabulary();

    /** The ids of the tokens of {@code text}. */
    default int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * The ids of the tokens of {@code text}, preceded by {@link Vocabulary#BOS} and followed by
     * {@link Vocabulary#EOS} when {@code addBosEos}, as a language model or a decoder expects.
     */
    default int[] encode(String text, boolean addBosEos) {
        List<String> tokens = split(text);
        int extra = addBosEos ? 1 : 0;
        int[] ids = new int[tokens.size() + 2 * extra];
        if (addBosEos) {
            ids[0] = Vocabulary.BOS;
            ids[ids.length - 1] = Vocabulary.EOS;
        }
        Vocabulary vocabulary = vocabulary();
        for (int i = 0; i < tokens.size(); i++) {
            ids[extra + i] = vocabulary.id(tokens.get(i));
        }
        return ids;
    }

    /**
     * The text of {@code ids}: {@link Vocabulary#PAD}, {@link Vocabulary#BOS} and
     * {@link Vocabulary#EOS} are dropped, {@link Vocabulary#UNK} reads {@value Vocabulary#UNK_TOKEN}.
     *
     * @throws IllegalArgumentException when an id is outside the vocabulary
     */
    default String decode(int[] ids) {
        Vocabulary vocabulary = vocabulary();
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id != Vocabulary.PAD && id != Vocabulary.BOS && id != Vocabulary.EOS) {
                tokens.add(vocabulary.token(id));
            }
        }
        return join(tokens);
    }
}
