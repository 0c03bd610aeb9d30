package org.rnn4j.examples.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.rnn4j.examples.lab.Pronunciations.Entry;
import org.rnn4j.examples.lab.Pronunciations.Errors;
import org.rnn4j.examples.lab.Pronunciations.Example;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.training.Trainer;
import org.rnn4j.training.TrainingListener;

/**
 * Lab 6, the encoder-decoder with attention, on grapheme-to-phoneme conversion (CMU dictionary):
 * phoneme and word error rates of held-out words with and without attention, greedy and beam
 * search, attention heat maps; and lab 7(d) on the same task: the attention model trained with
 * teacher forcing, free running and scheduled sampling, with held-out learning curves.
 */
final class G2pLab implements Experiment {

    private static final int MIN_LETTERS = 3;
    private static final int BEAM = 4;
    /** Beam hypotheses are ranked by their mean log-probability per token, so short ones get no edge. */
    private static final double LENGTH_NORMALIZATION = 1.0;
    private static final int BATCH = 16;
    /**
     * Encoder hidden size per direction; the decoder has twice as many. Half of it leaves the model
     * without attention behind the letter table after a tiny run's few hundred steps.
     */
    private static final int HIDDEN = 64;
    private static final int CURVE_WORDS = 200;
    private static final String TABLE = "letter-by-letter table";

    /**
     * The sizes of one run.
     *
     * @param maxLetters longest word used
     * @param train      training words
     * @param held       held-out words
     * @param epochs     passes over the training words
     * @param points     points per learning curve
     */
    private record Plan(int maxLetters, int train, int held, int epochs, int points) {
        static Plan of(Size size) {
            // Tiny: short words, on which the model without attention gets past the letter table within 400 steps.
            return new Plan(size.pick(6, 10, 10), size.pick(2400, 6000, 20000), size.pick(200, 500, 1000), size.pick(2, 4, 8),
                    size.pick(6, 10, 12));
        }
    }

    /** A trained model and its held-out learning curve (greedy PER against optimizer steps). */
    private record Trained(Seq2Seq model, double[] steps, double[] per) {
    }

    @Override
    public String name() {
        return "g2p";
    }

    @Override
    public String title() {
        return "Encoder-decoder with attention: grapheme to phoneme (CMU dictionary), with and without attention, greedy "
                + "and beam search; (7d) teacher forcing vs free running vs scheduled sampling";
    }

    @Override
    public String dataHelp() {
        return "a TSV file with a header row: word<TAB>phonemes separated by spaces (stress digits are dropped; "
                + "a word's later rows are alternatives and skipped)";
    }

    /**
     * The words of one run, encoded, and the letter table's errors on the held-out ones.
     *
     * @param maxLength most tokens a decoder emits: the longest pronunciation and end of sequence, plus one
     * @param steps     optimizer steps of each training run
     */
    private record Words(Plan plan, Pronunciations dict, List<Example> training, List<Example> heldOut,
                         List<int[]> references, int maxLength, int steps, Errors baseline) {
    }

    @Override
    public Findings run(LabRun run) throws IOException {
        Plan plan = Plan.of(run.size());
        String file = run.source("cmudict.tsv.gz");
        List<Entry> entries = new ArrayList<>(Pronunciations.read(run.text("cmudict.tsv.gz"), file, MIN_LETTERS, plan.maxLetters()));
        Collections.shuffle(entries, new Random(run.seed()));
        int held = Math.min(plan.held(), entries.size() / 10);
        int train = Math.min(plan.train(), entries.size() - held);
        if (held < 10 || train < 50) {
            // A tenth is held out, so 10 held-out words need 100 in all.
            throw new IllegalArgumentException("lab 'g2p' needs at least 100 words of " + MIN_LETTERS + " to "
                    + plan.maxLetters() + " letters (a tenth held out, at least 10, and at least 50 to train on), " + file
                    + " has " + entries.size());
        }
        // Vocabularies and the longest pronunciation from the training words only: the held-out
        // words must not shape the model (an unseen letter or phoneme becomes the unknown id).
        Pronunciations dict = Pronunciations.of(entries.subList(0, train));
        List<Example> training = entries.subList(0, train).stream().map(dict::encode).toList();
        List<Example> heldOut = entries.subList(train, train + held).stream().map(dict::encode).toList();
        List<int[]> references = heldOut.stream().map(Example::reference).toList();
        int maxLength = 2 + entries.subList(0, train).stream().mapToInt(e -> e.phonemes().size()).max().orElseThrow();
        Pronunciations.LetterTable table = new Pronunciations.LetterTable(training, dict.letterIds(), dict.phonemeIds());
        Errors baseline = Errors.of(references, heldOut.stream().map(e -> table.predict(e.source())).toList());
        Words words = new Words(plan, dict, training, heldOut, references, maxLength,
                plan.epochs() * ((train + BATCH - 1) / BATCH), baseline);
        run.say("   %d training and %d held-out words of %d-%d letters; %s: PER %.3f, WER %.3f", train, held, MIN_LETTERS,
                plan.maxLetters(), TABLE, baseline.per(), baseline.wer());

        Findings findings = new Findings();
        Trained none = train(run, words, false, "teacher-forcing", Options.empty());
        Trained luong = train(run, words, true, "teacher-forcing", Options.empty());
        double luongPer = attention(run, words, none, luong, findings);
        decoderInputs(run, words, none, luong, luongPer, findings);
        return findings;
    }

    /** Lab 6: with and without attention, greedy and beam search; attention heat maps. Returns Luong's greedy PER. */
    private static double attention(LabRun run, Words words, Trained none, Trained luong, Findings findings) throws IOException {
        List<Hypothesis> noneGreedy = decode(none.model(), words.heldOut(), 1, words.maxLength());
        List<Hypothesis> luongGreedy = decode(luong.model(), words.heldOut(), 1, words.maxLength());
        Errors ng = errors(words.references(), noneGreedy);
        Errors nb = errors(words.references(), decode(none.model(), words.heldOut(), BEAM, words.maxLength()));
        Errors lg = errors(words.references(), luongGreedy);
        Errors lb = errors(words.references(), decode(luong.model(), words.heldOut(), BEAM, words.maxLength()));
        Errors table = words.baseline();
        String beam = "beam " + BEAM;
        findings.row("no attention, greedy", "PER", ng.per(), TABLE, table.per(), true)
                .row("no attention, " + beam, "PER", nb.per(), TABLE, table.per(), true)
                .row("no attention, greedy", "WER", ng.wer(), TABLE, table.wer(), true)
                .row("no attention, " + beam, "WER", nb.wer(), TABLE, table.wer(), true)
                .row("Luong attention, greedy", "PER", lg.per(), "no attention, greedy", ng.per(), true)
                .row("Luong attention, " + beam, "PER", lb.per(), "no attention, " + beam, nb.per(), true)
                .row("Luong attention, greedy", "WER", lg.wer(), "no attention, greedy", ng.wer(), true)
                .row("Luong attention, " + beam, "WER", lb.wer(), "no attention, " + beam, nb.wer(), true);
        run.say("   held-out PER / WER: no attention %.3f / %.3f (beam %.3f / %.3f), Luong attention %.3f / %.3f (beam %.3f / %.3f)",
                ng.per(), ng.wer(), nb.per(), nb.wer(), lg.per(), lg.wer(), lb.per(), lb.wer());
        for (int i = 0; i < 3; i++) {
            findings.chart(heatMap(run, words, luongGreedy, i));
        }
        Plan plan = words.plan();
        findings.note(String.format(Locale.ROOT, "Data: %d training and %d held-out words of %d-%d letters (primary "
                        + "pronunciations, stress marks dropped: %d phonemes), split by word with seed %d. Model: letter "
                        + "embeddings of 16, a bidirectional LSTM encoder of %d per direction, an LSTM decoder of %d started "
                        + "from a learned projection of both directions' final states; with attention, Luong's 'general' "
                        + "scorer and input feeding. Adam 0.01 with cosine decay, clip-norm 1, batches of %d, %d epochs (%d "
                        + "steps), teacher forcing. Beam search keeps %d prefixes and ranks by log-probability / length^%.1f.",
                words.training().size(), words.heldOut().size(), MIN_LETTERS, plan.maxLetters(),
                words.dict().phonemeIds() - Pronunciations.FIRST, run.seed(), HIDDEN, 2 * HIDDEN, BATCH, plan.epochs(),
                words.steps(), BEAM, LENGTH_NORMALIZATION));
        findings.note("PER: edit distance between the decoded and the dictionary's phonemes over the reference length; WER: "
                + "the share of words with any error. Baseline of the no-attention rows, the " + TABLE + ": each letter read "
                + "as the phoneme it most often lines up with in the training words when letters are spread evenly over the "
                + "phonemes, a doubled phoneme said once. The attention rows are measured against the same model without "
                + "attention, decoded the same way.");
        findings.note(samples(words, noneGreedy, luongGreedy));
        return lg.per();
    }

    /** Lab 7(d): the attention model trained with each decoder input policy; held-out learning curves. */
    private static void decoderInputs(LabRun run, Words words, Trained none, Trained teacher, double teacherPer, Findings findings)
            throws IOException {
        Trained free = train(run, words, true, "free-running", Options.empty());
        // Linear decay over the whole run: the decoder starts on the ground truth and ends on its own predictions.
        Options schedule = Options.of("schedule", "linear", "slope", Double.toString(1.0 / words.steps()), "per", "step");
        Trained sampled = train(run, words, true, "scheduled-sampling", schedule);
        double freePer = errors(words.references(), decode(free.model(), words.heldOut(), 1, words.maxLength())).per();
        double sampledPer = errors(words.references(), decode(sampled.model(), words.heldOut(), 1, words.maxLength())).per();
        double table = words.baseline().per();
        findings.row("(7d) teacher forcing", "PER, greedy", teacherPer, TABLE, table, true)
                .row("(7d) free running", "PER, greedy", freePer, TABLE, table, true)
                .row("(7d) scheduled sampling", "PER, greedy", sampledPer, TABLE, table, true);
        run.say("   (7d) held-out PER, greedy: teacher forcing %.3f, free running %.3f, scheduled sampling %.3f",
                teacherPer, freePer, sampledPer);
        findings.chart(Charts.lines(run.file("decoder_inputs.png"),
                "Held-out phoneme error rate while training (greedy decoding, " + Math.min(CURVE_WORDS, words.heldOut().size())
                        + " words)",
                "optimizer step", "PER", List.of("Luong, teacher forcing", "Luong, free running", "Luong, scheduled sampling",
                        "no attention, teacher forcing", TABLE),
                List.of(teacher.steps(), free.steps(), sampled.steps(), none.steps(), new double[] {0, words.steps()}),
                List.of(teacher.per(), free.per(), sampled.per(), none.per(), new double[] {table, table}), false, Double.NaN));
        findings.note(String.format(Locale.ROOT, "(7d) Decoder inputs during training, chosen by name through the trainer's "
                + "decoderInputs: teacher-forcing feeds the dictionary's previous phoneme, free-running the model's own "
                + "previous prediction (argmax), scheduled-sampling the dictionary's with a probability falling linearly "
                + "from 1 to 0 over the %d steps. Same model, seeds and data; greedy decoding always feeds the model's own "
                + "predictions. After %d steps the held-out PER was %.3f with teacher forcing, %.3f free running and %.3f "
                + "with scheduled sampling. Baseline: the %s; every policy must at least learn more than single letters.",
                words.steps(), (int) teacher.steps()[0], teacher.per()[0], free.per()[0], sampled.per()[0], TABLE));
    }

    private static Trained train(LabRun run, Words words, boolean attention, String policy, Options policyOptions)
            throws IOException {
        Recurrent encoder = Recurrent.builder("lstm").inputSize(16).hiddenSize(HIDDEN).bidirectional(true)
                .seed(run.seed() + 10).build();
        Seq2Seq.Builder builder = Seq2Seq.builder().sourceVocabulary(words.dict().letterIds())
                .targetVocabulary(words.dict().phonemeIds())
                .encoder(encoder).decoder("lstm", 2 * HIDDEN).seed(run.seed() + 11);
        if (attention) {
            builder.attention(AttentionStyle.LUONG, "general");
        }
        Seq2Seq model = builder.build();
        int epochs = words.plan().epochs();
        int every = Math.max(1, words.steps() / words.plan().points());
        List<Example> curveWords = words.heldOut().subList(0, Math.min(CURVE_WORDS, words.heldOut().size()));
        List<int[]> curveReferences = curveWords.stream().map(Example::reference).toList();
        List<double[]> curve = new ArrayList<>();
        String label = (attention ? "g2p Luong " : "g2p no attention ") + policy;
        long start = System.nanoTime();
        try (LabRun.Progress progress = run.progress(label, epochs)) {
            Trainer.<Example, Seq2SeqBatch>builder(model, G2pLab::collate)
                    .optimizer("adam", Options.empty()).learningRate(0.01)
                    .schedule("cosine", Options.of("total", Integer.toString(words.steps()), "min_factor", "0.05"))
                    .gradientTransform("clip-norm", Options.of("max_norm", "1"))
                    .decoderInputs(policy, policyOptions)
                    .batchSize(BATCH).epochs(epochs).seed(run.seed() + 12)
                    .listener(progress)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepEvent event) {
                            if (event.step() % every == 0) {
                                double per = errors(curveReferences, decode(model, curveWords, 1, words.maxLength())).per();
                                curve.add(new double[] {event.step(), per});
                            }
                        }
                    })
                    .build().fit(words.training());
        }
        run.say("   trained %s in %.0f s", label.substring(4), (System.nanoTime() - start) / 1e9);
        return new Trained(model, curve.stream().mapToDouble(p -> p[0]).toArray(), curve.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static Seq2SeqBatch collate(List<Example> examples) {
        return Seq2SeqBatch.of(examples.stream().map(Example::source).toArray(int[][]::new),
                examples.stream().map(Example::target).toArray(int[][]::new), Pronunciations.PAD);
    }

    /** Greedy decoding for width 1, else beam search, of every example at once. */
    private static List<Hypothesis> decode(Seq2Seq model, List<Example> examples, int width, int maxLength) {
        Seq2SeqBatch batch = collate(examples);
        return width == 1 ? model.greedy(batch.source(), batch.sourceLengths(), maxLength)
                : model.beamSearch(batch.source(), batch.sourceLengths(), width, maxLength, LENGTH_NORMALIZATION);
    }

    private static Errors errors(List<int[]> references, List<Hypothesis> decoded) {
        return Errors.of(references, decoded.stream().map(h -> Pronunciations.withoutEos(h.tokens())).toList());
    }

    /** The attention weights of the {@code index}-th held-out word of at least 6 letters (else the {@code index}-th word). */
    private static Path heatMap(LabRun run, Words words, List<Hypothesis> decoded, int index) throws IOException {
        List<Example> heldOut = words.heldOut();
        List<Integer> longer = new ArrayList<>();
        for (int i = 0; i < heldOut.size(); i++) {
            if (heldOut.get(i).source().length >= 6) {
                longer.add(i);
            }
        }
        int i = index < longer.size() ? longer.get(index) : index;
        Example e = heldOut.get(i);
        Hypothesis h = decoded.get(i);
        int[] tokens = Pronunciations.withoutEos(h.tokens());
        List<String> phonemes = words.dict().phonemes(tokens);
        double[][] weights = new double[tokens.length][e.source().length];
        for (int t = 0; t < tokens.length; t++) {
            for (int s = 0; s < e.source().length; s++) {
                weights[t][s] = h.attention()[t][s];
            }
        }
        String word = e.entry().word();
        String said = String.join(" ", phonemes);
        String dictionary = String.join(" ", e.entry().phonemes());
        return Charts.heatMap(run.file("attention_" + word.toLowerCase(Locale.ROOT) + ".png"),
                word + ": " + said + (said.equals(dictionary) ? "" : " (dictionary: " + dictionary + ")"),
                words.dict().letters(e.source()), phonemes, weights, 0, 1);
    }

    /** A few held-out words as the dictionary, the model without and the model with attention say them. */
    private static String samples(Words words, List<Hypothesis> none, List<Hypothesis> luong) {
        List<Example> heldOut = words.heldOut();
        Pronunciations dict = words.dict();
        StringBuilder sb = new StringBuilder("Held-out words: dictionary | no attention | Luong attention (greedy)");
        for (int i = 0; i < Math.min(8, heldOut.size()); i++) {
            sb.append(String.format(Locale.ROOT, "%n%-10s %s | %s | %s", heldOut.get(i).entry().word(),
                    String.join(" ", heldOut.get(i).entry().phonemes()),
                    String.join(" ", dict.phonemes(none.get(i).tokens())), String.join(" ", dict.phonemes(luong.get(i).tokens()))));
        }
        return sb.toString();
    }
}
