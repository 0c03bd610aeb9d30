package org.rnn4j.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words and punctuation as separate tokens, whitespace dropped. A word is a run of letters,
 * combining marks and digits, kept whole across an inner apostrophe or hyphen ("d'água",
 * "guarda-chuva"); every other non-space character is a token of its own. Optionally lower-cases
 * the text first (in the root locale).
 */
public final class WordTokenizer implements Tokenizer {

    private static final Pattern TOKEN = Pattern.compile(
            "[\\p{L}\\p{M}\\p{N}]+(?:['’-][\\p{L}\\p{M}\\p{N}]+)*|\\S", Pattern.UNICODE_CHARACTER_CLASS);
    // Punctuation written against the previous token, and after which the next token follows directly.
    private static final String NO_SPACE_BEFORE = ".,;:!?%)]}»”…";
    private static final String NO_SPACE_AFTER = "([{«“¿¡";

    private final Vocabulary vocabulary;
    private final boolean lowerCase;

    /**
     * A tokenizer over an existing vocabulary, e.g. one {@linkplain Vocabulary#load loaded} with a
     * model; {@code lowerCase} must be what the vocabulary was built with.
     */
    public WordTokenizer(Vocabulary vocabulary, boolean lowerCase) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.lowerCase = lowerCase;
    }

    /**
     * A tokenizer whose vocabulary is built from the words of a training text.
     *
     * @see Vocabulary#build(Iterable, int, int) for {@code minCount} and {@code maxSize}
     */
    public static WordTokenizer fit(String text, boolean lowerCase, int minCount, int maxSize) {
        return new WordTokenizer(Vocabulary.build(words(text, lowerCase), minCount, maxSize), lowerCase);
    }

    private static List<String> words(String text, boolean lowerCase) {
        Matcher m = TOKEN.matcher(lowerCase ? text.toLowerCase(Locale.ROOT) : text);
        List<String> tokens = new ArrayList<>();
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** Whether the text is lower-cased before it is split. */
    public boolean lowerCase() {
        return lowerCase;
    }

    @Override
    public List<String> split(String text) {
        return words(text, lowerCase);
    }

    /**
     * Joins tokens with single spaces, except before closing punctuation ({@code . , ; : ! ? ) »}
     * and the like) and after opening punctuation ({@code ( « ¿} and the like): readable text,
     * though not the original spacing.
     */
    @Override
    public String join(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        for (String token : tokens) {
            if (previous != null && !isOneOf(token, NO_SPACE_BEFORE) && !isOneOf(previous, NO_SPACE_AFTER)) {
                sb.append(' ');
            }
            sb.append(token);
            previous = token;
        }
        return sb.toString();
    }

    private static boolean isOneOf(String token, String characters) {
        return token.length() == 1 && characters.indexOf(token.charAt(0)) >= 0;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }
}
