package org.rnn4j.examples.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pronouncing dictionary for grapheme-to-phoneme models: words with their primary pronunciation,
 * letter and phoneme vocabularies, token ids for a {@link org.rnn4j.models.Seq2Seq} model, edit
 * distances, and the letter-by-letter baseline.
 *
 * <p>Ids follow the project's vocabulary layout: 0 padding, 1 unknown (a letter or phoneme that the
 * training words do not have), 2 begin and 3 end of sequence; letters and phonemes from 4 on, in
 * sorted order, so the ids do not depend on the order of the file.
 */
final class Pronunciations {

    /** The first id of a letter or phoneme. */
    static final int FIRST = 4;
    static final int PAD = 0;
    static final int UNK = 1;
    static final int EOS = 3;
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    /**
     * One word and its pronunciation, stress marks dropped.
     *
     * @param word     the word, upper case
     * @param phonemes ARPAbet phonemes without stress digits, e.g. {@code [K, AE, T]}
     */
    record Entry(String word, List<String> phonemes) {
    }

    /**
     * A word as model tokens.
     *
     * @param entry  the word
     * @param source letter ids
     * @param target phoneme ids followed by the end-of-sequence id
     */
    record Example(Entry entry, int[] source, int[] target) {
        /** The phoneme ids without the end-of-sequence id: the reference of the error rates. */
        int[] reference() {
            return java.util.Arrays.copyOf(target, target.length - 1);
        }
    }

    private final List<String> letters;
    private final List<String> phonemes;

    private Pronunciations(List<String> letters, List<String> phonemes) {
        this.letters = letters;
        this.phonemes = phonemes;
    }

    /**
     * The primary pronunciation of every word of {@code minLetters} to {@code maxLetters} letters
     * (letters only: no apostrophes, dots or digits) in a {@code word<TAB>phonemes} file with a
     * header row. A word seen before is an alternative pronunciation and is skipped.
     *
     * @param source the file's name, for messages
     * @throws IllegalArgumentException when a line does not have two tab-separated fields, naming the file and line
     */
    static List<Entry> read(String text, String source, int minLetters, int maxLetters) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = text.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 2 || fields[0].isBlank() || fields[1].isBlank()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected word<TAB>phonemes, given '" + line
                        + "'");
            }
            String word = fields[0].strip().toUpperCase(Locale.ROOT);
            int length = word.codePointCount(0, word.length());
            if (!seen.add(word) || length < minLetters || length > maxLetters || !word.codePoints().allMatch(Character::isLetter)) {
                continue;
            }
            List<String> phones = new ArrayList<>();
            for (String p : SPACES.split(fields[1].strip())) {
                int end = p.length();
                while (end > 1 && Character.isDigit(p.charAt(end - 1))) {
                    end--;
                }
                phones.add(p.substring(0, end));
            }
            entries.add(new Entry(word, List.copyOf(phones)));
        }
        return entries;
    }

    /** The vocabularies of the letters and phonemes in {@code entries}. */
    static Pronunciations of(List<Entry> entries) {
        Set<String> letters = new TreeSet<>();
        Set<String> phonemes = new TreeSet<>();
        for (Entry e : entries) {
            e.word().codePoints().forEach(c -> letters.add(Character.toString(c)));
            phonemes.addAll(e.phonemes());
        }
        return new Pronunciations(List.copyOf(letters), List.copyOf(phonemes));
    }

    /** Source vocabulary size, special ids included. */
    int letterIds() {
        return FIRST + letters.size();
    }

    /** Target vocabulary size, special ids included. */
    int phonemeIds() {
        return FIRST + phonemes.size();
    }

    /** Ids of a word and its pronunciation; a letter or phoneme outside the vocabularies is {@link #UNK}. */
    Example encode(Entry e) {
        int[] source = e.word().codePoints().map(c -> id(letters, Character.toString(c))).toArray();
        int[] target = new int[e.phonemes().size() + 1];
        for (int i = 0; i < e.phonemes().size(); i++) {
            target[i] = id(phonemes, e.phonemes().get(i));
        }
        target[target.length - 1] = EOS;
        return new Example(e, source, target);
    }

    private static int id(List<String> symbols, String symbol) {
        int at = symbols.indexOf(symbol);
        return at < 0 ? UNK : FIRST + at;
    }

    /** The letters of a word, one string each ({@code ?} for an unknown one). */
    List<String> letters(int[] source) {
        List<String> out = new ArrayList<>();
        for (int id : source) {
            out.add(id >= FIRST ? letters.get(id - FIRST) : "?");
        }
        return out;
    }

    /** Phoneme ids as ARPAbet symbols; the end-of-sequence id, if any, is left out. */
    List<String> phonemes(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            if (id >= FIRST) {
                out.add(phonemes.get(id - FIRST));
            } else if (id != EOS) {
                out.add("<" + id + ">");
            }
        }
        return out;
    }

    /** A decoded sequence without its end-of-sequence token. */
    static int[] withoutEos(int[] tokens) {
        return tokens.length > 0 && tokens[tokens.length - 1] == EOS ? java.util.Arrays.copyOf(tokens, tokens.length - 1) : tokens;
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    static int editDistance(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                current[j] = Math.min(Math.min(previous[j], current[j - 1]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length];
    }

    /**
     * Phoneme and word error rates.
     *
     * @param per summed edit distances over summed reference lengths
     * @param wer the fraction of words with any error
     */
    record Errors(double per, double wer) {
        static Errors of(List<int[]> references, List<int[]> hypotheses) {
            long distance = 0;
            long length = 0;
            int wrong = 0;
            for (int i = 0; i < references.size(); i++) {
                int d = editDistance(references.get(i), hypotheses.get(i));
                distance += d;
                length += references.get(i).length;
                wrong += d > 0 ? 1 : 0;
            }
            return new Errors(distance / (double) length, wrong / (double) references.size());
        }
    }

    /**
     * The letter-by-letter baseline: each letter read as the phoneme it most often lines up with in
     * the training words, with letters spread evenly over the phonemes (letter {@code i} of
     * {@code L} against phoneme {@code round(i (P-1) / (L-1))} of {@code P}); a repeated phoneme
     * is said once ("LL" is one L). Spelling is partly phonetic, so this is the guess a model must
     * beat to show it learned more than single letters.
     */
    static final class LetterTable {
        private final int[] table;

        LetterTable(List<Example> training, int letterIds, int phonemeIds) {
            int[][] counts = new int[letterIds][phonemeIds];
            for (Example e : training) {
                int[] reference = e.reference();
                int l = e.source().length;
                for (int i = 0; i < l; i++) {
                    int j = l == 1 ? 0 : Math.round(i * (reference.length - 1) / (float) (l - 1));
                    counts[e.source()[i]][reference[j]]++;
                }
            }
            table = new int[letterIds];
            for (int c = 0; c < letterIds; c++) {
                for (int p = 1; p < phonemeIds; p++) {
                    if (counts[c][p] > counts[c][table[c]]) {
                        table[c] = p;
                    }
                }
            }
        }

        int[] predict(int[] source) {
            List<Integer> out = new ArrayList<>();
            for (int c : source) {
                int p = table[c];
                // A letter never seen in training says nothing.
                if (p >= FIRST && (out.isEmpty() || out.getLast() != p)) {
                    out.add(p);
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
