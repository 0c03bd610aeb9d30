package org.rnn4j.tests.goldens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.core.kernel.Kernels;
import org.rnn4j.nn.Merge;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;

/**
 * Every recurrent golden file (PyTorch-made): build the layer its metadata describes, load the
 * weights by their PyTorch names, and compare outputs, final states and every gradient. The public
 * set runs full-length sequences with concatenated directions; the padded set (made by
 * {@code goldens-padded/make_padded_goldens.py}) adds lengths, zero included, the other merges and a
 * batch split over threads.
 */
class GoldenRecurrentTest {

    static Stream<Path> files() throws IOException {
        return Goldens.files("rnn_", "lstm_", "gru_").stream();
    }

    static Stream<Path> paddedFiles() throws IOException {
        return Goldens.files(Goldens.paddedFolder(), "rnn_", "lstm_", "gru_").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesPyTorch(Path file) throws IOException {
        check(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paddedFiles")
    void matchesPyTorchOnPaddedBatches(Path file) throws IOException {
        check(file);
    }

    private static void check(Path file) throws IOException {
        SafeTensors.Contents golden = SafeTensors.read(file);
        Map<String, String> meta = golden.metadata();
        Map<String, Tensor> t = golden.tensors();
        assertEquals("recurrent", meta.get("kind"), "metadata kind");
        String cell = meta.get("cell").toLowerCase(Locale.ROOT);
        Options options = cell.equals("rnn") ? Options.of("nonlinearity", meta.get("nonlinearity")) : Options.empty();
        Recurrent layer = Recurrent.builder(cell)
                .inputSize(Integer.parseInt(meta.get("I")))
                .hiddenSize(Integer.parseInt(meta.get("H")))
                .layers(Integer.parseInt(meta.get("num_layers")))
                .bidirectional(Boolean.parseBoolean(meta.get("bidirectional")))
                .merge(Merge.valueOf(meta.getOrDefault("merge", "concat").toUpperCase(Locale.ROOT)))
                .options(options)
                .build();
        int[] lengths = meta.containsKey("lengths")
                ? Stream.of(meta.get("lengths").split(",")).mapToInt(Integer::parseInt).toArray()
                : null;
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            weights.put(p.name(), t.get(p.name()));
        }
        layer.loadStateDict(weights, "");
        boolean lstm = cell.equals("lstm");
        Map<String, Tensor> initial = new LinkedHashMap<>();
        initial.put("h", t.get("h0"));
        if (lstm) {
            initial.put("c", t.get("c0"));
        }

        // Inference keeps nothing for backward and may take another path through the kernels.
        RecurrentOutput inference = layer.forward(t.get("input"), lengths, initial, false);
        Goldens.assertClose("output (inference)", t.get("output"), inference.output());
        Goldens.assertClose("h_n (inference)", t.get("h_n"), inference.finalState("h"));
        if (lstm) {
            Goldens.assertClose("c_n (inference)", t.get("c_n"), inference.finalState("c"));
        }

        RecurrentOutput out = layer.forward(t.get("input"), lengths, initial, true);
        Goldens.assertClose("output", t.get("output"), out.output());
        Goldens.assertClose("h_n", t.get("h_n"), out.finalState("h"));
        if (lstm) {
            Goldens.assertClose("c_n", t.get("c_n"), out.finalState("c"));
        }

        Map<String, Tensor> dFinal = new LinkedHashMap<>();
        dFinal.put("h", t.get("probe_h"));
        if (lstm) {
            dFinal.put("c", t.get("probe_c"));
        }
        RecurrentOutput.Gradients g = out.backward(t.get("probe"), null, dFinal);
        Goldens.assertClose("grad.input", t.get("grad.input"), g.input());
        Goldens.assertClose("grad.h0", t.get("grad.h0"), g.initialState().get("h"));
        if (lstm) {
            Goldens.assertClose("grad.c0", t.get("grad.c0"), g.initialState().get("c"));
        }
        List<Parameter> params = layer.parameters();
        assertEquals(4 * layer.layers() * layer.directions(), params.size());
        for (Parameter p : params) {
            Tensor want = t.get("grad." + p.name());
            assertNotNull(want, "golden has grad." + p.name());
            Goldens.assertClose("grad." + p.name(), want, p.grad());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void runsOnTheConfiguredKernels(Path file) {
        // The vector kernels unless the run forces the scalar ones: a silent fallback fails here.
        String forced = System.getProperty(Kernels.IMPLEMENTATION_PROPERTY, "vector").strip();
        String expected = forced.equals("scalar") ? "scalar" : "vector";
        assertEquals(expected, Kernels.get().name(), "kernels in use for " + file.getFileName());
    }
}
