package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;
import org.rnn4j.training.data.BatchSampler;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.CharTokenizer;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;

/**
 * Lab 4, one-to-many generation: an LSTM writes English first names one character at a time,
 * conditioned on gender. The condition enters as the first input, a token of its own per gender
 * ({@code <female>}, {@code <male>}) in place of {@code <bos>}; the model then predicts each next
 * character until {@code <eos>}. Reports the held-out log-likelihood per character next to a
 * character bigram model fitted per gender, and samples for each gender.
 */
final class NamesLab implements Experiment {

    private static final int MAX_CONDITIONS = 20;
    private static final int SAMPLES = 200;
    /** Most characters of a sampled name. */
    private static final int MAX_NAME = 30;

    @Override
    public String name() {
        return "names";
    }

    @Override
    public String title() {
        return "One-to-many generation: an LSTM writes English first names for a given gender (Moby first names)";
    }

    @Override
    public String dataHelp() {
        return "a UTF-8 CSV file with a header and the columns name and gender (any 2 to " + MAX_CONDITIONS
                + " gender values; a seeded 10% of the rows is held out)";
    }

    /** One row: a name and the index of its condition. */
    private record Example(String name, int condition) {
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        String source = run.source("first_names_en.csv");
        List<Example> examples = new ArrayList<>();
        List<String> conditions = read(CsvTable.parse(run.text("first_names_en.csv"), source), examples, source);
        int[] order = BatchSampler.permutation(examples.size(), run.seed());
        int heldCount = Math.max(1, examples.size() / 10);
        List<Example> held = new ArrayList<>();
        List<Example> train = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            (k < heldCount ? held : train).add(examples.get(order[k]));
        }

        // One token per condition, counted once per training name so that it gets its own id.
        List<String> tokens = new ArrayList<>();
        for (Example e : train) {
            tokens.add(token(conditions.get(e.condition())));
            e.name().codePoints().forEach(c -> tokens.add(Character.toString(c)));
        }
        // Characters seen only once in training share <unk>, so the model learns how likely a rare one is.
        CharTokenizer tokenizer = new CharTokenizer(Vocabulary.build(tokens, 2, 1000));
        int vocabulary = tokenizer.vocabulary().size();
        int[] conditionIds = conditions.stream().mapToInt(c -> tokenizer.vocabulary().id(token(c))).toArray();
        for (int c = 0; c < conditionIds.length; c++) {
            if (conditionIds[c] == Vocabulary.UNK) { // two such conditions would share <unk>, and their counts would mix
                throw new IllegalArgumentException("names: condition '" + conditions.get(c) + "' has fewer than 2 names in"
                        + " the training part; give each condition at least 2 names there (about 3 in all)");
            }
        }
        List<int[]> trainSeqs = train.stream().map(e -> encode(tokenizer, conditionIds, e)).toList();
        List<int[]> heldSeqs = held.stream().map(e -> encode(tokenizer, conditionIds, e)).toList();

        // Anything but <pad>, <bos> and the condition tokens can come next.
        int symbols = vocabulary - 2 - conditions.size();
        double bigramLogLik = 0;
        long heldChars = 0;
        for (int c = 0; c < conditions.size(); c++) {
            int condition = conditionIds[c];
            NGram bigram = NGram.bigram(trainSeqs.stream().filter(s -> s[0] == condition).toList(), vocabulary, symbols);
            for (int[] s : heldSeqs) {
                if (s[0] == condition) {
                    bigramLogLik += bigram.logLikelihood(s);
                    heldChars += s.length - 1;
                }
            }
        }
        double bigram = bigramLogLik / heldChars;

        int hidden = run.size().pick(32, 128, 256);
        int epochs = run.size().pick(2, 30, 60);
        SequenceModel model = CharLmLab.languageModel(vocabulary, hidden, run.seed());
        // Early stopping watches the last 10% of the (shuffled) training names; the held-out names are only measured.
        int validationStart = trainSeqs.size() - trainSeqs.size() / 10;
        List<Double> heldCurve = new ArrayList<>();
        Trainer.History history;
        try (LabRun.Progress progress = run.progress("names LSTM " + hidden, epochs)) {
            history = Trainer.<int[], SequenceBatch>builder(model, s -> Batches.languageModel(s, Vocabulary.PAD))
                    .optimizer("adam", Options.empty()).learningRate(0.005).batchSize(32).epochs(epochs).seed(run.seed())
                    .sampler(BatchSampler.bucketed(32, trainSeqs.stream().limit(validationStart).mapToInt(s -> s.length).toArray(),
                            run.seed()))
                    .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                    .validationFraction((double) (trainSeqs.size() - validationStart) / trainSeqs.size())
                    .earlyStopping(3, 0)
                    .listener(progress).listener(new TrainingListener() {
                        @Override
                        public void onEpoch(EpochEvent event) {
                            heldCurve.add(logLikelihood(model, heldSeqs));
                        }
                    }).build().fit(trainSeqs);
        }
        double[] trainCurve = history.epochs().stream().mapToDouble(e -> -e.train().loss()).toArray();
        double[] validationCurve = history.epochs().stream().mapToDouble(e -> -e.validation().loss()).toArray();
        int best = 0;
        for (int e = 1; e < validationCurve.length; e++) {
            best = validationCurve[e] > validationCurve[best] ? e : best;
        }
        double logLik = logLikelihood(model, heldSeqs);
        double perName = logLik * heldChars / held.size();
        run.say("   %d names for training, %d held out; held-out log-likelihood per character: LSTM %.3f (weights of epoch %d "
                + "of %d), bigram per gender %.3f nats (per name: LSTM %.2f, bigram %.2f)", train.size(), held.size(), logLik,
                best + 1, validationCurve.length, bigram, perName, bigram * heldChars / held.size());

        Findings findings = new Findings()
                .row("LSTM " + hidden + ", gender as first input", "held-out log-likelihood per char (nats)", logLik,
                        "char bigram per gender (add-one)", bigram, false);
        findings.chart(Charts.curves(run.file("names_learning_curve.png"), "First names: log-likelihood per character",
                "log-likelihood per character (nats)",
                List.of("LSTM, training (during the epoch)", "LSTM, validation (early stopping)", "LSTM, held out"),
                List.of(trainCurve, validationCurve, heldCurve.stream().mapToDouble(Double::doubleValue).toArray()),
                List.of("char bigram per gender, held out"), bigram));
        findings.note(String.format(Locale.ROOT, "Data: %d names (%s), %d of them held out (seeded shuffle). Each name is "
                + "read as [<gender>, c1, ..., cn] and trained to predict [c1, ..., cn, <eos>]: the gender token is the "
                + "first input and the only condition, so every character the model writes depends on it through the "
                + "recurrent state. Log-likelihood per character counts <eos> as a character; per name it is %.2f nats "
                + "for the LSTM and %.2f for the bigram (which keeps one table per gender, its first row being "
                + "p(first letter | gender)). Training stops once the last tenth of the training names (validation) has "
                + "not improved for 3 epochs and keeps its best weights: here those of epoch %d of %d%s.", examples.size(),
                String.join(", ", conditions), held.size(), perName, bigram * heldChars / held.size(), best + 1,
                validationCurve.length, history.stoppedEarly() ? "; past that point the model starts to memorize the list "
                        + "rather than learn how names are made, as the training curve rising away from the other two shows"
                        : " (the epoch limit came first)"));
        findings.note(samples(model, tokenizer, conditions, conditionIds, train, run.seed()));
        return findings;
    }

    /** The mean log-likelihood per predicted token (nats) of the model on {@code sequences}. */
    private static double logLikelihood(SequenceModel model, List<int[]> sequences) {
        double sum = 0;
        long count = 0;
        for (int from = 0; from < sequences.size(); from += 64) {
            var result = model.evaluate(Batches.languageModel(sequences.subList(from, Math.min(sequences.size(), from + 64)),
                    Vocabulary.PAD));
            sum += result.loss() * result.count();
            count += result.count();
        }
        return -sum / count;
    }

    private static String token(String condition) {
        return "<" + condition + ">";
    }

    private static int[] encode(CharTokenizer tokenizer, int[] conditionIds, Example e) {
        int[] chars = tokenizer.encode(e.name());
        int[] s = new int[chars.length + 2];
        s[0] = conditionIds[e.condition()];
        System.arraycopy(chars, 0, s, 1, chars.length);
        s[s.length - 1] = Vocabulary.EOS;
        return s;
    }

    /** Reads the rows into {@code examples} and returns the conditions, sorted; each example holds its condition's index. */
    private static List<String> read(CsvTable table, List<Example> examples, String source) {
        int nameColumn = table.column("name");
        int genderColumn = table.column("gender");
        Set<String> values = new TreeSet<>();
        for (int r = 0; r < table.size(); r++) {
            String name = table.get(r, nameColumn).strip();
            String gender = table.get(r, genderColumn).strip();
            if (name.isEmpty() || gender.isEmpty()) {
                throw new IllegalArgumentException(table.where(r) + ": empty " + (name.isEmpty() ? "name" : "gender")
                        + "; every row needs a name and a gender");
            }
            values.add(gender);
        }
        if (values.size() < 2 || values.size() > MAX_CONDITIONS) {
            throw new IllegalArgumentException(source + " has " + values.size() + " gender values " + values
                    + ", expected 2 to " + MAX_CONDITIONS);
        }
        if (table.size() < 20) {
            throw new IllegalArgumentException(source + " has " + table.size() + " rows, expected at least 20");
        }
        List<String> conditions = List.copyOf(values);
        for (int r = 0; r < table.size(); r++) {
            examples.add(new Example(table.get(r, nameColumn).strip(), conditions.indexOf(table.get(r, genderColumn).strip())));
        }
        return conditions;
    }

    /** Samples per condition, names that are in the training list starred, and how many of {@link #SAMPLES} are new. */
    private static String samples(SequenceModel model, CharTokenizer tokenizer, List<String> conditions, int[] conditionIds,
                                  List<Example> train, long seed) {
        Set<String> known = new HashSet<>();
        train.forEach(e -> known.add(e.name()));
        StringBuilder sb = new StringBuilder("Samples at temperature 0.8, drawn until <eos> or " + MAX_NAME + " characters (* = a name in the training list):");
        for (int c = 0; c < conditions.size(); c++) {
            Map<String, Boolean> shown = new LinkedHashMap<>();
            int fresh = 0;
            for (int i = 0; i < SAMPLES; i++) {
                int[] drawn = model.generate(new int[] {conditionIds[c]}, MAX_NAME, 0.8, seed + 1000L * c + i);
                String name = tokenizer.decode(CharLmLab.untilEos(drawn));
                fresh += known.contains(name) ? 0 : 1;
                if (shown.size() < 12) {
                    shown.putIfAbsent(name, known.contains(name));
                }
            }
            sb.append(String.format(Locale.ROOT, "%n  %-8s", conditions.get(c)));
            shown.forEach((name, isKnown) -> sb.append(' ').append(name).append(isKnown ? "*" : ""));
            sb.append(String.format(Locale.ROOT, "   (%d of %d samples are not in the training list)", fresh, SAMPLES));
        }
        return sb.toString();
    }
}
