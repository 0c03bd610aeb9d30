package org.rnn4j.examples.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rnn4j.core.Tensor;
import org.rnn4j.models.SequenceModel;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.data.BatchSampler;
import org.rnn4j.training.data.Batches;
import org.rnn4j.training.data.SequenceBatch;
import org.rnn4j.training.data.Vocabulary;
import org.rnn4j.training.data.WordTokenizer;

/**
 * Lab 5, many-to-one classification: a bidirectional GRU reads the words of an e-mail's subject
 * and the start of its body and says spam or ham; accuracy and F1 (spam as the positive class) on
 * a stratified held-out split next to always answering the majority class, and a multinomial naive
 * Bayes bag of words on the same words as a second, stronger reference.
 */
final class SpamLab implements Experiment {

    private static final String SPAM = "spam";
    private static final String HAM = "ham";
    /** Ids of the word vocabulary, the four special tokens included. */
    private static final int VOCABULARY = 20_000;

    @Override
    public String name() {
        return "spam";
    }

    @Override
    public String title() {
        return "Many-to-one classification: a bidirectional GRU tells spam from ham (SpamAssassin public corpus)";
    }

    @Override
    public String dataHelp() {
        return "a UTF-8 CSV file with a header and the columns label (spam or ham), subject and body, and optionally group "
                + "(accuracy is also shown per group); other columns are ignored; a stratified, seeded 20% is held out";
    }

    /** One message: its words as ids, 1 for spam and 0 for ham, and its corpus group (or its label when there are none). */
    private record Message(int[] words, int label, String group) {
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        String source = run.source("spam_assassin.csv.gz");
        CsvTable table = CsvTable.parse(run.text("spam_assassin.csv.gz"), source);
        int chars = run.size().pick(300, 1000, 2000);
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        Read read = read(table, chars, texts, labels, groups, source);

        // Stratified: a seeded 20% of each class is held out; the tiny run trains on a third of the rest, to take seconds.
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> heldRows = new ArrayList<>();
        for (int label = 0; label < 2; label++) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < labels.size(); r++) {
                if (labels.get(r) == label) {
                    rows.add(r);
                }
            }
            int[] order = BatchSampler.permutation(rows.size(), run.seed() + label);
            int held = Math.max(1, rows.size() / 5);
            int end = run.size() == Size.TINY ? held + (rows.size() - held) / 3 : rows.size();
            for (int k = 0; k < end; k++) {
                (k < held ? heldRows : trainRows).add(rows.get(order[k]));
            }
        }
        StringBuilder trainText = new StringBuilder();
        trainRows.forEach(r -> trainText.append(texts.get(r)).append('\n'));
        WordTokenizer tokenizer = WordTokenizer.fit(trainText.toString(), true, 2, VOCABULARY);
        List<Message> train = messages(trainRows, texts, labels, groups, tokenizer);
        List<Message> held = messages(heldRows, texts, labels, groups, tokenizer);
        int vocabulary = tokenizer.vocabulary().size();

        int[] heldLabels = held.stream().mapToInt(Message::label).toArray();
        long spamTrain = train.stream().filter(m -> m.label() == 1).count();
        int majority = spamTrain * 2 > train.size() ? 1 : 0;
        int[] majorityPredictions = new int[held.size()];
        Arrays.fill(majorityPredictions, majority);
        double majorityAccuracy = accuracy(majorityPredictions, heldLabels);
        double majorityF1 = f1(majorityPredictions, heldLabels);
        int[] bayes = naiveBayes(train, held, vocabulary);
        double bayesAccuracy = accuracy(bayes, heldLabels);
        double bayesF1 = f1(bayes, heldLabels);

        int hidden = run.size().pick(16, 32, 64);
        int epochs = run.size().pick(2, 4, 10);
        SequenceModel model = SequenceModel.builder(Recurrent.builder("gru").inputSize(32).hiddenSize(hidden).bidirectional(true)
                        .seed(run.seed()).build())
                .vocabulary(vocabulary, Vocabulary.PAD).outputs(2).objective(SequenceModel.Objective.CLASSIFICATION)
                .seed(run.seed() + 1).build();
        Trainer.History history;
        try (LabRun.Progress progress = run.progress("spam BiGRU " + hidden, epochs)) {
            history = Trainer.<Message, SequenceBatch>builder(model, SpamLab::batch)
                    .optimizer("adam", Options.empty()).learningRate(0.005).batchSize(32).epochs(epochs).seed(run.seed())
                    .sampler(BatchSampler.bucketed(32, train.stream().mapToInt(m -> m.words().length).toArray(), run.seed()))
                    .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                    .validation(held).listener(progress).build().fit(train);
        }
        int[] gru = predict(model, held);
        double gruAccuracy = accuracy(gru, heldLabels);
        double gruF1 = f1(gru, heldLabels);
        run.say("   held-out accuracy / F1 (spam positive): BiGRU %.3f / %.3f, naive Bayes %.3f / %.3f, majority (%s) %.3f / %.3f",
                gruAccuracy, gruF1, bayesAccuracy, bayesF1, majority == 1 ? SPAM : HAM, majorityAccuracy, majorityF1);

        String gruName = "BiGRU " + hidden + " over words";
        String majorityName = "majority class (" + (majority == 1 ? SPAM : HAM) + ")";
        Findings findings = new Findings()
                .row(gruName, "held-out accuracy", gruAccuracy, majorityName, majorityAccuracy, false)
                .row(gruName, "held-out F1 (spam)", gruF1, majorityName, majorityF1, false)
                .row("naive Bayes bag of words", "held-out accuracy", bayesAccuracy, majorityName, majorityAccuracy, false)
                .row("naive Bayes bag of words", "held-out F1 (spam)", bayesF1, majorityName, majorityF1, false);
        double[] trainCurve = history.epochs().stream().mapToDouble(e -> e.train().accuracy()).toArray();
        double[] heldCurve = history.epochs().stream().mapToDouble(e -> e.validation().accuracy()).toArray();
        findings.chart(Charts.curves(run.file("spam_accuracy.png"), "Spam or ham: accuracy per epoch", "accuracy",
                List.of("BiGRU, training (during the epoch)", "BiGRU, held out"), List.of(trainCurve, heldCurve),
                List.of("naive Bayes, held out", majorityName + ", held out"), bayesAccuracy, majorityAccuracy));
        findings.note(String.format(Locale.ROOT, "Data: %d messages (%d spam) after dropping %d exact repeats of an "
                + "earlier message's cut text (so that no held-out message has a copy in training), %d held out (a seeded "
                + "20%% of each class)%s. "
                + "Input: the subject, a line break and the body, cut to the first %d characters (%d messages were longer): "
                + "a choice of this lab, to bound the cost of a recurrent pass (the corpus itself keeps at most 2,000 "
                + "characters of a body); "
                + "then lower-cased words and punctuation: %d word types, those seen twice or more in training (at most the "
                + "%d most frequent), the rest <unk>. "
                + "Naive Bayes reads the same words (add-one smoothing, word counts).", labels.size(),
                labels.stream().filter(l -> l == 1).count(), read.repeats(), held.size(),
                run.size() == Size.TINY ? "; the tiny run trains on a third of the rest" : "", chars, read.cut(),
                vocabulary - 4, VOCABULARY - 4));
        findings.note(comparison(gru, bayes, heldLabels) + "\n" + byGroup(held, gru, bayes));
        return findings;
    }

    /** Says plainly whether the BiGRU beats the bag of words, and by how many messages. */
    private static String comparison(int[] gru, int[] bayes, int[] labels) {
        double gruAccuracy = accuracy(gru, labels);
        double gruF1 = f1(gru, labels);
        double bayesAccuracy = accuracy(bayes, labels);
        double bayesF1 = f1(bayes, labels);
        int difference = (int) Math.round((gruAccuracy - bayesAccuracy) * labels.length);
        String verdict = gruAccuracy > bayesAccuracy && gruF1 > bayesF1 ? "The BiGRU beats the bag of words on both measures"
                : gruAccuracy <= bayesAccuracy && gruF1 <= bayesF1 ? "The BiGRU does NOT beat the bag of words on either "
                        + "measure in this run"
                : "The BiGRU and the bag of words split the two measures";
        return String.format(Locale.ROOT, "BiGRU accuracy %.3f, F1 %.3f; naive Bayes accuracy %.3f, F1 %.3f. %s: it classifies "
                + "%d %s of the %d held-out messages correctly%s. A bag of words is a strong baseline for spam: which words a "
                + "message holds carries most of the signal.", gruAccuracy, gruF1, bayesAccuracy, bayesF1, verdict,
                Math.abs(difference), difference >= 0 ? "more" : "fewer", labels.length,
                Math.abs(difference) <= labels.length / 100 ? ", a gap small enough for another seed to change" : "");
    }

    /** Accuracy per corpus group (easy ham, hard ham, spam), where the file has groups. */
    private static String byGroup(List<Message> held, int[] gru, int[] bayes) {
        Map<String, int[]> counts = new TreeMap<>();
        for (int i = 0; i < held.size(); i++) {
            int[] c = counts.computeIfAbsent(held.get(i).group(), g -> new int[3]);
            c[0]++;
            c[1] += gru[i] == held.get(i).label() ? 1 : 0;
            c[2] += bayes[i] == held.get(i).label() ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder("Held-out accuracy by group (BiGRU / naive Bayes):");
        counts.forEach((group, c) -> sb.append(String.format(Locale.ROOT, "%n  %-12s %4d messages  %.3f / %.3f", group, c[0],
                (double) c[1] / c[0], (double) c[2] / c[0])));
        return sb.toString();
    }

    /**
     * What {@link #read} did besides reading.
     *
     * @param cut     messages longer than the cut
     * @param repeats messages dropped because their cut text repeats an earlier one's
     */
    private record Read(int cut, int repeats) {
    }

    /** Reads the messages, each cut to {@code chars} characters, dropping exact repeats of an earlier cut text. */
    private static Read read(CsvTable table, int chars, List<String> texts, List<Integer> labels, List<String> groups,
                             String source) {
        int label = table.column("label");
        int subject = table.column("subject");
        int body = table.column("body");
        int group = table.has("group") ? table.column("group") : -1;
        int cut = 0;
        int repeats = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int r = 0; r < table.size(); r++) {
            String value = table.get(r, label).strip().toLowerCase(Locale.ROOT);
            if (!value.equals(SPAM) && !value.equals(HAM)) {
                throw new IllegalArgumentException(table.where(r) + ": label '" + table.get(r, label)
                        + "', expected spam or ham");
            }
            String text = table.get(r, subject) + "\n" + table.get(r, body);
            boolean longer = text.codePointCount(0, text.length()) > chars;
            String kept = longer ? text.substring(0, text.offsetByCodePoints(0, chars)) : text;
            if (!seen.add(kept)) {
                repeats++;
                continue;
            }
            texts.add(kept);
            cut += longer ? 1 : 0;
            labels.add(value.equals(SPAM) ? 1 : 0);
            groups.add(group < 0 ? value : table.get(r, group));
        }
        long spam = labels.stream().filter(l -> l == 1).count();
        if (spam < 10 || labels.size() - spam < 10) {
            throw new IllegalArgumentException(source + " has " + spam + " spam and " + (labels.size() - spam)
                    + " ham messages, expected at least 10 of each");
        }
        return new Read(cut, repeats);
    }

    private static List<Message> messages(List<Integer> rows, List<String> texts, List<Integer> labels, List<String> groups,
                                          WordTokenizer tokenizer) {
        List<Message> messages = new ArrayList<>();
        for (int r : rows) {
            int[] words = tokenizer.encode(texts.get(r));
            // A message with no word at all still needs one step for the GRU to read.
            messages.add(new Message(words.length == 0 ? new int[] {Vocabulary.UNK} : words, labels.get(r), groups.get(r)));
        }
        return messages;
    }

    private static SequenceBatch batch(List<Message> messages) {
        return Batches.classification(messages.stream().map(Message::words).toList(),
                messages.stream().mapToInt(Message::label).toArray(), Vocabulary.PAD);
    }

    private static int[] predict(SequenceModel model, List<Message> messages) {
        int[] predictions = new int[messages.size()];
        for (int from = 0; from < messages.size(); from += 64) {
            List<Message> part = messages.subList(from, Math.min(messages.size(), from + 64));
            Tensor logits = model.predict(batch(part));
            for (int i = 0; i < part.size(); i++) {
                predictions[from + i] = logits.get(i, 1) > logits.get(i, 0) ? 1 : 0;
            }
        }
        return predictions;
    }

    /**
     * Multinomial naive Bayes with add-one smoothing: {@code log p(class) + sum over words of
     * log p(word | class)}, the word probabilities from the words of each class's training messages.
     */
    private static int[] naiveBayes(List<Message> train, List<Message> held, int vocabulary) {
        double[][] counts = new double[2][vocabulary];
        double[] totals = new double[2];
        double[] prior = new double[2];
        for (Message m : train) {
            prior[m.label()]++;
            for (int w : m.words()) {
                counts[m.label()][w]++;
                totals[m.label()]++;
            }
        }
        int[] predictions = new int[held.size()];
        for (int i = 0; i < held.size(); i++) {
            double[] score = new double[2];
            for (int c = 0; c < 2; c++) {
                score[c] = Math.log(prior[c] / train.size());
                for (int w : held.get(i).words()) {
                    score[c] += Math.log((counts[c][w] + 1) / (totals[c] + vocabulary));
                }
            }
            predictions[i] = score[1] > score[0] ? 1 : 0;
        }
        return predictions;
    }

    private static double accuracy(int[] predictions, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predictions[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** F1 of class 1 (spam); 0 when nothing is predicted or found positive. */
    private static double f1(int[] predictions, int[] labels) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            tp += predictions[i] == 1 && labels[i] == 1 ? 1 : 0;
            fp += predictions[i] == 1 && labels[i] == 0 ? 1 : 0;
            fn += predictions[i] == 0 && labels[i] == 1 ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
