package org.rnn4j.training.data;

import java.util.List;
import java.util.Objects;

/**
 * One token per Unicode code point (not per UTF-16 {@code char}), so accented letters, letters
 * outside the Basic Multilingual Plane and emoji are single tokens, and decoding what was encoded
 * gives the text back exactly wherever every character is in the vocabulary. The text is not
 * normalized: a precomposed "ã" and "a" followed by a combining tilde stay different.
 */
public final class CharTokenizer implements Tokenizer {

    private final Vocabulary vocabulary;

    /** A tokenizer over an existing vocabulary, e.g. one {@linkplain Vocabulary#load loaded} with a model. */
    public CharTokenizer(Vocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    }

    /**
     * A tokenizer whose vocabulary is built from the characters of a training text.
     *
     * @see Vocabulary#build(Iterable, int, int) for {@code minCount} and {@code maxSize}
     */
    public static CharTokenizer fit(String text, int minCount, int maxSize) {
        return new CharTokenizer(Vocabulary.build(codePoints(text), minCount, maxSize));
    }

    private static List<String> codePoints(String text) {
        return text.codePoints().mapToObj(Character::toString).toList();
    }

    @Override
    public List<String> split(String text) {
        return codePoints(text);
    }

    @Override
    public String join(List<String> tokens) {
        return String.join("", tokens);
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }
}
