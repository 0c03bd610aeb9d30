package org.rnn4j.tests.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.models.AttentionStyle;
import org.rnn4j.models.Bridge;
import org.rnn4j.models.Hypothesis;
import org.rnn4j.models.Seq2Seq;
import org.rnn4j.models.Seq2SeqBatch;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;
import org.rnn4j.tests.TestTensors;

/** {@link Seq2Seq#save} and {@link Seq2Seq#load}: one safetensors file that rebuilds the same model, and named errors. */
class Seq2SeqFileTest {

    /** Three models that between them use every setting the file must carry. */
    static Stream<Seq2Seq> models() {
        Seq2Seq luong = Seq2Seq.builder()
                .encoder(Recurrent.builder("gru").inputSize(5).hiddenSize(4).layers(2).bidirectional(true).seed(1).build())
                .sourceVocabulary(9).targetVocabulary(11).targetEmbeddingSize(4)
                .decoder("lstm", 6).decoderLayers(2).decoderOptions(Options.of("init", "pytorch"))
                .attention(AttentionStyle.LUONG, "additive").attentionSize(5).inputFeeding(false)
                .specialTokens(1, 5, 6).labelSmoothing(0.1).seed(2).build();
        Seq2Seq bahdanau = Seq2Seq.builder()
                .encoder(Recurrent.builder("lstm").inputSize(4).hiddenSize(7).seed(3).build())
                .vocabulary(10).shareEmbeddings(true).decoder("lstm", 7)
                .attention(AttentionStyle.BAHDANAU, "general").seed(4).build();
        Seq2Seq plain = Seq2Seq.builder()
                .encoder(Recurrent.builder("rnn").inputSize(3).hiddenSize(5).options(Options.of("nonlinearity", "relu"))
                        .seed(5).build())
                .vocabulary(8).decoder("gru", 6).bridge(Bridge.ZEROS).seed(6).build();
        return Stream.of(luong, bahdanau, plain).peek(model -> TestTensors.perturb(model.parameters()));
    }


    /** Six rows of ids in {@code [0, 8)} other than the model's special ids (every model has 8 ids or more). */
    private static Seq2SeqBatch batch(Seq2Seq model) {
        List<Integer> special = List.of(model.padId(), model.bosId(), model.eosId());
        int[] ids = IntStream.range(0, 8).filter(i -> !special.contains(i)).toArray();
        SplittableRandom rng = new SplittableRandom(8);
        int[][] sources = new int[6][];
        int[][] targets = new int[6][];
        for (int r = 0; r < sources.length; r++) {
            sources[r] = rng.ints(2 + rng.nextInt(4), 0, ids.length).map(i -> ids[i]).toArray();
            targets[r] = rng.ints(1 + rng.nextInt(4), 0, ids.length).map(i -> ids[i]).toArray();
        }
        return Seq2SeqBatch.of(sources, targets, model.padId());
    }

    @ParameterizedTest
    @MethodSource("models")
    void aLoadedModelHasTheSameConfigurationWeightsAndOutputs(Seq2Seq model, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        model.save(file);
        Seq2Seq loaded = Seq2Seq.load(file);

        assertEquals(model.toString(), loaded.toString());
        assertEquals(model.attentionStyle(), loaded.attentionStyle());
        assertEquals(model.bridge(), loaded.bridge());
        assertEquals(List.of(model.padId(), model.bosId(), model.eosId(), model.targetVocabulary()),
                List.of(loaded.padId(), loaded.bosId(), loaded.eosId(), loaded.targetVocabulary()));
        assertEquals(model.parameters().size(), loaded.parameters().size());
        for (int i = 0; i < model.parameters().size(); i++) {
            Parameter want = model.parameters().get(i);
            Parameter got = loaded.parameters().get(i);
            assertEquals(want.name(), got.name());
            assertArrayEquals(want.value().data(), got.value().data(), want.name());
        }

        // Equal weights give equal outputs up to the last bits: the vector kernels' lane sums may
        // change order between two calls once the JIT compiles them.
        Seq2SeqBatch batch = batch(model);
        assertEquals(model.evaluate(batch).loss(), loaded.evaluate(batch).loss(), 1e-6, "loss under teacher forcing");
        List<Hypothesis> want = model.beamSearch(batch.source(), batch.sourceLengths(), 3, 6, 0.5);
        List<Hypothesis> got = loaded.beamSearch(batch.source(), batch.sourceLengths(), 3, 6, 0.5);
        for (int r = 0; r < batch.size(); r++) {
            assertArrayEquals(want.get(r).tokens(), got.get(r).tokens(), "row " + r);
            assertEquals(want.get(r).logProb(), got.get(r).logProb(), 1e-5, "row " + r);
            if (model.attentionStyle() == AttentionStyle.NONE) {
                assertNull(got.get(r).attention());
            } else {
                for (int t = 0; t < want.get(r).tokens().length; t++) {
                    assertArrayEquals(want.get(r).attention()[t], got.get(r).attention()[t], 1e-6f, "row " + r + " step " + t);
                }
            }
        }

        Path again = dir.resolve("again.safetensors");
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "a loaded model saves to the same bytes");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("again.safetensors", "model.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file is left behind");
        }
    }

    @Test
    void theFileNamesCellsAndScorerByRegistryNameNeverByClass(@TempDir Path dir) throws IOException {
        Seq2Seq model = models().findFirst().orElseThrow();
        Path file = dir.resolve("model.safetensors");
        model.save(file);
        Map<String, String> meta = SafeTensors.read(file).metadata();
        assertEquals("rnn4j-seq2seq", meta.get("format"));
        assertEquals("gru", meta.get("encoder.cell"));
        assertEquals("lstm", meta.get("decoder.cell"));
        assertEquals("pytorch", meta.get("decoder.options.init"));
        assertEquals("luong", meta.get("attention"));
        assertEquals("additive", meta.get("attention.scorer"));
        assertEquals("project", meta.get("bridge"));
        for (Map.Entry<String, String> e : meta.entrySet()) {
            assertTrue(!e.getValue().contains("org.rnn4j") && !e.getValue().contains("Provider"), e.toString());
        }
    }

    /** Saves a model, changes its file with {@code edit}, and returns the message of the load failure. */
    private static String loadFailure(Path dir, Consumer<Map<String, String>> editMetadata,
                                      Consumer<Map<String, Tensor>> editTensors) throws IOException {
        Path file = dir.resolve("model.safetensors");
        models().findFirst().orElseThrow().save(file);
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        Map<String, Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        editMetadata.accept(meta);
        editTensors.accept(tensors);
        Path edited = dir.resolve("edited.safetensors");
        SafeTensors.write(edited, tensors, meta);
        String message = assertThrows(ModelFileException.class, () -> Seq2Seq.load(edited)).getMessage();
        assertTrue(message.contains("edited.safetensors"), message);
        return message;
    }

    private static String metadataFailure(Path dir, Consumer<Map<String, String>> edit) throws IOException {
        return loadFailure(dir, edit, t -> { });
    }

    @Test
    void aBrokenFileFailsNamingWhatIsWrong(@TempDir Path dir) throws IOException {
        String cell = metadataFailure(dir, m -> m.put("decoder.cell", "lstn"));
        assertTrue(cell.contains("'lstn'") && cell.contains("known cells"), cell);
        String scorer = metadataFailure(dir, m -> m.put("attention.scorer", "dott"));
        assertTrue(scorer.contains("dott") && scorer.contains("additive"), scorer);
        String missing = metadataFailure(dir, m -> m.remove("decoder.layers"));
        assertTrue(missing.contains("lacks 'decoder.layers'"), missing);
        String number = metadataFailure(dir, m -> m.put("target_vocabulary", "eleven"));
        assertTrue(number.contains("'target_vocabulary' must be an integer, given 'eleven'"), number);
        String bridge = metadataFailure(dir, m -> m.put("bridge", "sideways"));
        assertTrue(bridge.contains("'bridge' must be one of [zeros, copy, project], given 'sideways'"), bridge);
        String flag = metadataFailure(dir, m -> m.put("input_feeding", "yes"));
        assertTrue(flag.contains("'input_feeding' must be true or false, given 'yes'"), flag);
        String version = metadataFailure(dir, m -> m.put("format_version", "2"));
        assertTrue(version.contains("format_version 2") && version.contains("reads 1"), version);
        // Allocated before the weights are read: the file's own size bounds what its configuration may make.
        String huge = metadataFailure(dir, m -> m.put("decoder.hidden_size", "3000"));
        assertTrue(huge.contains("past the limit"), huge);
        String unfit = metadataFailure(dir, m -> m.put("decoder.hidden_size", "4"));
        assertTrue(unfit.contains("decoder.weight_hh_l0") && unfit.contains("Wrong shape"), unfit);

        String weights = loadFailure(dir, m -> { }, t -> {
            t.remove("output.weight");
            t.put("output.extra", Tensor.zeros(2));
        });
        assertTrue(weights.contains("Missing: output.weight") && weights.contains("Unexpected: output.extra"), weights);
    }

    @Test
    void anotherKindOfFileIsRejectedNamingItsFormat(@TempDir Path dir) throws IOException {
        Path layer = dir.resolve("layer.safetensors");
        Recurrent.builder("lstm").inputSize(2).hiddenSize(3).build().save(layer);
        String message = assertThrows(ModelFileException.class, () -> Seq2Seq.load(layer)).getMessage();
        assertTrue(message.contains("rnn4j-recurrent") && message.contains("expected rnn4j-seq2seq")
                && message.contains("layer.safetensors"), message);
    }
}
