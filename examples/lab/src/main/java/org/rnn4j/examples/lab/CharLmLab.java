package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.BatchSampler;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

/**
 * Lab 3, a character language model: an LSTM reads Brazilian Portuguese fortunes one character at
 * a time and predicts the next; bits per character on held-out fortunes next to add-one unigram
 * and bigram models fitted on the same training fortunes; samples at two temperatures, and what the
 * model expects after two prompts.
 */
final class CharLmLab implements Experiment {

    private static final String[] PROMPTS = {"Aqui em Curitiba faz",
        "Nasci no Brasil, sou negro, tenho 19 anos, gosto de pizza, minha língua materna é o"};
    private static final double[] TEMPERATURES = {0.5, 1.0};
    private static final int MIN_PASSAGES = 20;
    /** The tiny run learns from the first passages only, to take seconds. */
    private static final int TINY_PASSAGES = 1000;

    @Override
    public String name() {
        return "charlm";
    }

    @Override
    public String title() {
        return "Character language model: an LSTM writes Portuguese (fortunes-br), bits per character against unigram and bigram";
    }

    @Override
    public String dataHelp() {
        return "a UTF-8 text file of passages separated by blank lines (at least 20; a block starting with \"--\" joins the "
                + "one before as its attribution; the last 10% are held out)";
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        List<String> all = passages(run.text("fortunes_br.txt"), run.source("fortunes_br.txt"));
        List<String> passages = all.subList(0, Math.min(all.size(), run.size().pick(TINY_PASSAGES, all.size(), all.size())));
        int cut = (int) Math.round(passages.size() * 0.9);
        String trainText = String.join("\n\n", passages.subList(0, cut));
        // Characters seen fewer than 3 times share <unk>, so the model also learns how likely a rare one is.
        CharTokenizer tokenizer = CharTokenizer.fit(trainText, 3, 1000);
        List<int[]> train = passages.subList(0, cut).stream().map(p -> tokenizer.encode(p, true)).toList();
        List<int[]> held = passages.subList(cut, passages.size()).stream().map(p -> tokenizer.encode(p, true)).toList();
        int vocabulary = tokenizer.vocabulary().size();
        // Anything but <pad> and <bos> can come next.
        int symbols = vocabulary - 2;
        double unigram = NGram.unigram(train, vocabulary, symbols).bits(held);
        double bigram = NGram.bigram(train, vocabulary, symbols).bits(held);
        run.say("   %d passages for training, %d held out; %d symbols; held-out unigram %.3f, bigram %.3f bits/char",
                train.size(), held.size(), vocabulary, unigram, bigram);

        int hidden = run.size().pick(96, 128, 256);
        int epochs = run.size().pick(1, 8, 20);
        SequenceModel model = languageModel(vocabulary, hidden, run.seed());
        Trainer.History history;
        try (LabRun.Progress progress = run.progress("charlm LSTM " + hidden, epochs)) {
            history = Trainer.<int[], SequenceBatch>builder(model, s -> Batches.languageModel(s, Vocabulary.PAD))
                    .optimizer("adam", Options.empty()).learningRate(0.01).batchSize(16).epochs(epochs).seed(run.seed())
                    .schedule("exponential", Options.of("gamma", "0.8", "per", "epoch"))
                    .sampler(BatchSampler.bucketed(16, train.stream().mapToInt(s -> s.length).toArray(), run.seed()))
                    .unrolling("truncated-bptt", Options.of("k1", "100"))
                    .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                    .validation(held).listener(progress).build().fit(train);
        }
        double[] trainCurve = history.epochs().stream().mapToDouble(e -> e.train().bits()).toArray();
        double[] heldCurve = history.epochs().stream().mapToDouble(e -> e.validation().bits()).toArray();
        double bits = heldCurve[heldCurve.length - 1];
        run.say("   LSTM %d: held-out %.3f bits/char (epochs: %d)", hidden, bits, epochs);

        Findings findings = new Findings()
                .row("LSTM " + hidden, "held-out bits/char", bits, "bigram (add-one)", bigram, true)
                .row("bigram (add-one)", "held-out bits/char", bigram, "unigram (add-one)", unigram, true);
        findings.chart(Charts.curves(run.file("charlm_bits.png"), "Character language model: held-out bits per character",
                "bits per character", List.of("LSTM " + hidden + ", training (during the epoch)", "LSTM " + hidden + ", held out"),
                List.of(trainCurve, heldCurve),
                List.of("bigram (add-one)", "unigram (add-one)"), bigram, unigram));
        findings.note(String.format(Locale.ROOT, "Data: %d passages (blocks between blank lines; a block starting with "
                + "\"--\" is an attribution and joins the passage before it)%s; the last %d are held out whole, split by passage "
                + "and not by character. %d symbols: characters seen 3+ times in training, <unk> for the rest, and <eos>, which "
                + "ends each passage and counts as a character. Each passage starts from <bos> and a zero state. Training: "
                + "truncated BPTT in windows of 100 characters, the state carried across windows. Greedy decoding (always the "
                + "most likely character) tends to fall into a loop; sampling does not.", passages.size(),
                passages.size() < all.size() ? ", the first " + passages.size() + " of " + all.size() + " in the tiny run" : "",
                held.size(), vocabulary));
        findings.note(samples(model, tokenizer, run.seed()));
        for (String prompt : PROMPTS) {
            findings.note(completion(model, tokenizer, prompt, trainText, run.seed()));
        }
        return findings;
    }

    /**
     * The passages of {@code text}: runs of lines between blank lines, line ends as {@code \n}. A
     * block that starts with "--" is the attribution of the passage before it (fortune files set it
     * off with a blank line), so it joins that passage.
     */
    static List<String> passages(String text, String source) {
        List<String> passages = new ArrayList<>();
        for (String block : text.replace("\r\n", "\n").split("\n[ \t]*\n")) {
            String passage = block.replaceAll("^\n+|\\s+$", "");
            if (passage.isBlank()) {
                continue;
            }
            if (passage.strip().startsWith("--") && !passages.isEmpty()) {
                passages.set(passages.size() - 1, passages.getLast() + "\n\n" + passage);
            } else {
                passages.add(passage);
            }
        }
        if (passages.size() < MIN_PASSAGES) {
            throw new IllegalArgumentException("lab 'charlm': " + source + " has " + passages.size()
                    + " passages separated by blank lines, expected at least " + MIN_PASSAGES);
        }
        return passages;
    }

    private static String samples(SequenceModel model, CharTokenizer tokenizer, long seed) {
        StringBuilder sb = new StringBuilder("Samples, each started from <bos> and drawn until <eos> (at most 300 characters):");
        for (double temperature : TEMPERATURES) {
            sb.append(String.format(Locale.ROOT, "%n%n[temperature %.1f]", temperature));
            for (int i = 0; i < 3; i++) {
                int[] drawn = model.generate(new int[] {Vocabulary.BOS}, 300, temperature, seed + 100 + i);
                sb.append("\n\n").append(tokenizer.decode(untilEos(drawn)));
            }
        }
        return sb.toString();
    }

    /** The top next characters, the most likely next words, a greedy continuation and a sample after {@code prompt}. */
    private static String completion(SequenceModel model, CharTokenizer tokenizer, String prompt, String trainText, long seed) {
        int[] context = withBos(tokenizer.encode(prompt));
        double[] p = nextProbabilities(model, List.of(context))[0];
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -p[i]));
        StringBuilder sb = new StringBuilder("Prompt: \"" + prompt + "\" (" + (trainText.contains(prompt) ? "in" : "not in")
                + " the training passages)");
        sb.append(String.format(Locale.ROOT, "%n  %-17s", "next character:")).append(Arrays.stream(order).limit(5)
                .map(i -> String.format(Locale.ROOT, "%s %.1f%%", shown(tokenizer, i), 100 * p[i])).collect(Collectors.joining("  ")));
        sb.append(String.format(Locale.ROOT, "%n  %-17s", "next word:")).append(nextWords(model, tokenizer, context, 8, 5).stream()
                .map(w -> String.format(Locale.ROOT, "\"%s\" %.1f%%", w.getKey(), 100 * w.getValue())).collect(Collectors.joining("  ")));
        sb.append(String.format(Locale.ROOT, "%n  %-17s", "greedy:")).append(prompt).append('|')
                .append(tokenizer.decode(greedy(model, context, 80)));
        int[] drawn = untilEos(model.generate(context, 80, 0.5, seed + 7));
        sb.append(String.format(Locale.ROOT, "%n  %-17s", "temperature 0.5:")).append(prompt).append('|')
                .append(tokenizer.decode(drawn));
        return sb.toString();
    }

    private static int[] withBos(int[] ids) {
        int[] s = new int[ids.length + 1];
        s[0] = Vocabulary.BOS;
        System.arraycopy(ids, 0, s, 1, ids.length);
        return s;
    }

    /**
     * A language model over {@code vocabulary} token ids: an embedding of 32, one LSTM layer of
     * {@code hidden} and a head that predicts the next token at every step.
     */
    static SequenceModel languageModel(int vocabulary, int hidden, long seed) {
        return SequenceModel.builder(Recurrent.builder("lstm").inputSize(32).hiddenSize(hidden).seed(seed).build())
                .vocabulary(vocabulary, Vocabulary.PAD).outputs(vocabulary).output(SequenceModel.Output.SEQUENCE)
                .objective(SequenceModel.Objective.CLASSIFICATION).seed(seed + 1).build();
    }

    /** The tokens before the first {@code <eos>}. */
    static int[] untilEos(int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == Vocabulary.EOS) {
                return Arrays.copyOf(ids, i);
            }
        }
        return ids;
    }

    private static String shown(CharTokenizer tokenizer, int id) {
        String token = tokenizer.vocabulary().token(id);
        return switch (token) {
            case " " -> "' '";
            case "\n" -> "'\\n'";
            default -> token.codePointCount(0, token.length()) == 1 ? "'" + token + "'" : token;
        };
    }

    /** The model's next-token probabilities after each of {@code contexts}. */
    private static double[][] nextProbabilities(SequenceModel model, List<int[]> contexts) {
        SequenceBatch batch = Batches.tokens(contexts, Vocabulary.PAD);
        float[] logits = model.predict(batch).data();
        int v = model.outputs();
        double[][] p = new double[contexts.size()][v];
        for (int b = 0; b < p.length; b++) {
            int offset = (b * batch.steps() + batch.length(b) - 1) * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < v; i++) {
                max = Math.max(max, logits[offset + i]);
            }
            double sum = 0;
            for (int i = 0; i < v; i++) {
                p[b][i] = Math.exp(logits[offset + i] - max);
                sum += p[b][i];
            }
            for (int i = 0; i < v; i++) {
                p[b][i] /= sum;
            }
        }
        return p;
    }

    /** The most likely token at every step after {@code context}, until {@code <eos>} or {@code count} tokens. */
    private static int[] greedy(SequenceModel model, int[] context, int count) {
        int[] s = context;
        for (int i = 0; i < count; i++) {
            double[] p = nextProbabilities(model, List.of(s))[0];
            int best = 0;
            for (int j = 1; j < p.length; j++) {
                if (p[j] > p[best]) {
                    best = j;
                }
            }
            if (best == Vocabulary.EOS) {
                break;
            }
            s = Arrays.copyOf(s, s.length + 1);
            s[s.length - 1] = best;
        }
        return Arrays.copyOfRange(s, context.length, s.length);
    }

    /** A partial continuation in the word search: its tokens, log-probability, and whether it has a letter yet. */
    private record Beam(int[] tokens, double logProbability, boolean letter) {
    }

    /**
     * The {@code top} most likely next words after {@code context} with their probabilities, by a
     * beam search of {@code width} over characters. A word is what comes before the first
     * non-letter after a letter (so "faz" may go on with "er" or with " frio"); its probability sums
     * over the characters that can end it.
     */
    private static List<Map.Entry<String, Double>> nextWords(SequenceModel model, CharTokenizer tokenizer, int[] context,
                                                             int width, int top) {
        Map<String, Double> words = new LinkedHashMap<>();
        List<Beam> open = List.of(new Beam(new int[0], 0, false));
        for (int depth = 0; depth < 30 && !open.isEmpty(); depth++) {
            List<int[]> contexts = new ArrayList<>();
            for (Beam b : open) {
                int[] s = Arrays.copyOf(context, context.length + b.tokens().length);
                System.arraycopy(b.tokens(), 0, s, context.length, b.tokens().length);
                contexts.add(s);
            }
            double[][] p = nextProbabilities(model, contexts);
            List<Beam> next = new ArrayList<>();
            for (int k = 0; k < open.size(); k++) {
                Beam b = open.get(k);
                for (int id = Vocabulary.EOS; id < p[k].length; id++) {
                    double logP = b.logProbability() + Math.log(p[k][id]);
                    boolean isLetter = id > Vocabulary.EOS && Character.isLetter(tokenizer.vocabulary().token(id).codePointAt(0));
                    if (!isLetter && b.letter()) {
                        words.merge(tokenizer.decode(b.tokens()), Math.exp(logP), Double::sum);
                    } else if (id != Vocabulary.EOS) {
                        int[] tokens = Arrays.copyOf(b.tokens(), b.tokens().length + 1);
                        tokens[tokens.length - 1] = id;
                        next.add(new Beam(tokens, logP, b.letter() || isLetter));
                    }
                }
            }
            next.sort(Comparator.comparingDouble(b -> -b.logProbability()));
            open = next.subList(0, Math.min(width, next.size()));
            double bar = words.values().stream().sorted(Comparator.reverseOrder()).skip(top - 1).findFirst().orElse(0.0);
            if (!open.isEmpty() && Math.exp(open.getFirst().logProbability()) < bar) {
                break;
            }
        }
        return words.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top).toList();
    }
}
