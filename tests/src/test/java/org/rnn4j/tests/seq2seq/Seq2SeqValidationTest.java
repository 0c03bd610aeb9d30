package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.seq2seq.Seq2SeqFixtures.WHOLE;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.core.Parameter;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Bridge;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.UnknownPluginException;
import org.rnn4j.spi.training.UnrollingStrategy;

/** Build-time and run-time errors name what is wrong, expected and given; parameters are named by part. */
class Seq2SeqValidationTest {

    private static Recurrent encoder(int hidden, boolean bidirectional, int layers) {
        return Recurrent.builder("lstm").inputSize(4).hiddenSize(hidden).bidirectional(bidirectional).layers(layers)
                .seed(1).build();
    }

    private static Seq2Seq.Builder base() {
        return Seq2Seq.builder().vocabulary(8).encoder(encoder(5, false, 1)).decoder("lstm", 5);
    }

    private static void fails(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void scorersThatDoNotFitTheSizesFailAtBuildTime() {
        fails(() -> base().encoder(encoder(3, true, 1)).attention(AttentionStyle.LUONG, "dot").build(),
                "scorer 'dot' does not fit", "decoder hidden state (5 features)", "encoder outputs (6 features, both directions)",
                "equal query and key sizes, given 5 and 6");
        fails(() -> base().encoder(encoder(4, false, 1)).attention(AttentionStyle.BAHDANAU, "scaled-dot").build(),
                "scorer 'scaled-dot' does not fit", "given 5 and 4");
        // General and additive scorers bridge any sizes.
        base().encoder(encoder(3, true, 1)).attention(AttentionStyle.LUONG, "general").build();
        base().encoder(encoder(3, true, 1)).attention(AttentionStyle.BAHDANAU, "additive").build();
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        UnknownPluginException scorer = assertThrows(UnknownPluginException.class,
                () -> base().attention(AttentionStyle.LUONG, "bilinear").build());
        assertTrue(scorer.getMessage().contains("dot, general, "), scorer.getMessage());
        UnknownPluginException cell = assertThrows(UnknownPluginException.class, () -> base().decoder("lstn", 5).build());
        assertTrue(cell.getMessage().contains("gru, lstm"), cell.getMessage());
    }

    @Test
    void missingPartsAndBadSettingsAreNamed() {
        fails(() -> Seq2Seq.builder().vocabulary(8).decoder("lstm", 5).build(), "an encoder is required");
        fails(() -> Seq2Seq.builder().vocabulary(8).encoder(encoder(5, false, 1)).build(), "a decoder is required");
        fails(() -> base().targetVocabulary(0).build(), "targetVocabulary must be >= 1, given 0");
        fails(() -> base().specialTokens(0, 2, 8).build(), "end-of-sequence id must be in [0, 8), given 8");
        fails(() -> base().specialTokens(0, 3, 3).build(), "must differ, given 0, 3, 3");
        fails(() -> base().labelSmoothing(1).build(), "labelSmoothing must be in [0, 1), given 1");
        fails(() -> base().targetVocabulary(9).shareEmbeddings(true).build(), "shared embeddings need equal vocabularies");
        fails(() -> base().attention(AttentionStyle.NONE, "dot"), "attention style NONE takes no scorer");
    }

    @Test
    void bridgesCheckTheEncoderAndDefaultToCopyOrProjection() {
        assertEquals(Bridge.COPY, base().build().bridge());
        assertEquals(Bridge.PROJECT, base().encoder(encoder(3, true, 1)).build().bridge());
        assertEquals(Bridge.PROJECT, base().encoder(encoder(4, false, 1)).build().bridge());
        fails(() -> base().encoder(encoder(3, true, 1)).bridge(Bridge.COPY).build(),
                "bridge COPY needs a unidirectional encoder of the decoder's hidden size 5, given a bidirectional encoder"
                        + " of hidden size 3");
        fails(() -> base().decoderLayers(2).build(), "at least as many encoder layers as decoder layers (2), given 1");
        assertEquals(Bridge.ZEROS, base().decoderLayers(2).bridge(Bridge.ZEROS).build().bridge());
    }

    @Test
    void parametersAreNamedByPartAndUnique() {
        Seq2Seq model = base().encoder(encoder(3, true, 2)).decoderLayers(2).attention(AttentionStyle.LUONG, "general")
                .build();
        List<String> names = model.parameters().stream().map(Parameter::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate names in " + names);
        assertTrue(names.containsAll(List.of("source_embedding.weight", "encoder.weight_ih_l0", "encoder.weight_hh_l1_reverse",
                "bridge.h_l0.weight", "bridge.c_l1.bias", "target_embedding.weight", "decoder.weight_ih_l1",
                "attention.W", "combine.weight", "output.weight", "output.bias")), names.toString());
        List<String> shared = base().shareEmbeddings(true).build().parameters().stream().map(Parameter::name).toList();
        assertTrue(shared.contains("embedding.weight") && !shared.contains("target_embedding.weight"), shared.toString());
    }

    @Test
    void batchesNameExpectedAndGiven() {
        int[][] two = {{4, 5}, {6, 7}};
        fails(() -> new Seq2SeqBatch(new int[][] {{4, 5}, {6}}, new int[] {2, 1}, two, new int[] {2, 2}),
                "source rows must all have 2 tokens", "row 1 has 1");
        fails(() -> new Seq2SeqBatch(two, new int[] {2}, two, new int[] {2, 2}),
                "expected 2 sourceLengths entries (one per row), given 1");
        fails(() -> new Seq2SeqBatch(two, new int[] {2, 3}, two, new int[] {2, 2}), "sourceLengths[1] must be in [1, 2], given 3");
        fails(() -> new Seq2SeqBatch(two, new int[] {2, 2}, new int[][] {{4, 5}}, new int[] {2}),
                "expected 2 target rows (one per source row), given 1");
        fails(() -> new Seq2SeqBatch(two, new int[] {2, 2}, two, new int[] {0, 2}), "targetLengths[0] must be in [1, 2], given 0");
        fails(() -> Seq2SeqBatch.of(new int[][] {{4}}, new int[][] {{}}, 0), "target rows need at least one token, given 0");
        Seq2SeqBatch ragged = Seq2SeqBatch.of(new int[][] {{4, 5, 6}, {7}}, new int[][] {{4}, {5, 3}}, 0);
        assertEquals(List.of(3, 1), List.of(ragged.sourceLengths()[0], ragged.sourceLengths()[1]));
        assertEquals(0, ragged.source()[1][2], "padded with the padding id");
        assertEquals(3, ragged.targetTokens());
    }

    @Test
    void tokensAndWindowsAreCheckedWhenTraining() {
        Seq2Seq model = base().build();
        Seq2SeqBatch badSource = new Seq2SeqBatch(new int[][] {{4, 9}}, new int[] {2}, new int[][] {{4}}, new int[] {1});
        fails(() -> model.evaluate(badSource), "source token 9 at [0, 1] is outside the source vocabulary [0, 8)");
        Seq2SeqBatch badTarget = new Seq2SeqBatch(new int[][] {{4}}, new int[] {1}, new int[][] {{4, -1}}, new int[] {2});
        fails(() -> model.evaluate(badTarget), "target token -1 at [0, 1] is outside the target vocabulary [0, 8)");
        Seq2SeqBatch ok = new Seq2SeqBatch(new int[][] {{4}}, new int[] {1}, new int[][] {{4}}, new int[] {1});
        fails(() -> model.train(ok, new UnrollingStrategy.Window(0, 0, 5), Seq2SeqFixtures.context("teacher-forcing")),
                "window must be (0, 0, 1)");
        model.train(ok, WHOLE, Seq2SeqFixtures.context("teacher-forcing"));
        fails(() -> model.greedy(new int[][] {{4, 5}}, new int[] {3}, 5), "sourceLengths[0] must be in [1, 2], given 3");
        fails(() -> model.beamSearch(new int[][] {{4}}, null, 0, 5, 0), "beamWidth must be >= 1, given 0");
        fails(() -> model.beamSearch(new int[][] {{4}}, null, 2, 5, -1), "lengthNormalization must be a finite number >= 0");
    }
}
