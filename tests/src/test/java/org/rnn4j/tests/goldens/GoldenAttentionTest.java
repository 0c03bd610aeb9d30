package org.rnn4j.tests.goldens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.attention.Attention;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.spi.Options;

/**
 * Every attention golden file (PyTorch-made): the scorer its metadata names, with the file's
 * parameters, must reproduce scores, masked weights, context and every gradient.
 */
class GoldenAttentionTest {

    static Stream<Path> files() throws IOException {
        return Goldens.files("attn_").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesPyTorch(Path file) throws IOException {
        SafeTensors.Contents golden = SafeTensors.read(file);
        Map<String, String> meta = golden.metadata();
        Map<String, Tensor> t = golden.tensors();
        assertEquals("attention", meta.get("kind"), "metadata kind");
        String scorer = meta.get("scorer").replace('_', '-');
        Attention attention = Attention.create(scorer, Integer.parseInt(meta.get("Hq")), Integer.parseInt(meta.get("Hk")),
                Integer.parseInt(meta.get("A")), Options.empty(), 1);
        for (Parameter p : attention.parameters()) {
            Tensor want = t.get(p.name());
            assertNotNull(want, "golden has parameter " + p.name());
            p.value().copyFrom(want);
            p.zeroGrad();
        }
        int[] lengths = Arrays.stream(meta.get("lengths").split(",")).mapToInt(Integer::parseInt).toArray();
        Attention.Step step = attention.forward(t.get("query"), t.get("keys"), lengths, true);
        Goldens.assertClose("scores", t.get("scores"), step.scores());
        Goldens.assertClose("weights", t.get("weights"), step.weights());
        Goldens.assertClose("context", t.get("context"), step.context());
        Attention.Gradients g = step.backward(t.get("probe_c"), t.get("probe_w"));
        Goldens.assertClose("grad.query", t.get("grad.query"), g.query());
        Goldens.assertClose("grad.keys", t.get("grad.keys"), g.keys());
        for (Parameter p : attention.parameters()) {
            Goldens.assertClose("grad." + p.name(), t.get("grad." + p.name()), p.grad());
        }
        // Padding gets exactly zero weight and zero key gradient (either sign of zero).
        int s = t.get("keys").dim(1);
        int hk = t.get("keys").dim(2);
        int padded = 0;
        for (int r = 0; r < lengths.length; r++) {
            for (int j = lengths[r]; j < s; j++) {
                assertEquals(0f, step.weights().get(r, j));
                for (int k = 0; k < hk; k++) {
                    float gk = g.keys().get(r, j, k);
                    assertTrue(gk == 0f, "grad.keys[" + r + ", " + j + ", " + k + "] at a padded position is " + gk);
                }
                padded++;
            }
        }
        assertTrue(padded > 0 || Arrays.stream(lengths).allMatch(l -> l == s), "lengths " + Arrays.toString(lengths));
    }
}
