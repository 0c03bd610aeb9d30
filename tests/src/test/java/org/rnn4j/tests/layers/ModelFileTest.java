package org.rnn4j.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.tests.TestTensors.random;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.nn.Merge;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentOutput;
import org.rnn4j.spi.Options;
import org.rnn4j.tests.TestTensors;

class ModelFileTest {

    @TempDir
    Path dir;

    @Test
    void aSavedLayerLoadsBackIdentically() throws IOException {
        Recurrent layer = Recurrent.builder("rnn").inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .merge(Merge.SUM).options(Options.of("nonlinearity", "relu")).seed(9).build();
        TestTensors.perturb(layer.parameters());
        Path file = dir.resolve("rnn.safetensors");
        layer.save(file);
        Recurrent back = Recurrent.load(file);
        assertEquals(layer.toString(), back.toString());
        // Every weight comes back from the file, not from the seed: the perturbed values, bit for bit.
        assertEquals(List.copyOf(layer.stateDict().keySet()), List.copyOf(back.stateDict().keySet()));
        for (Map.Entry<String, Tensor> e : layer.stateDict().entrySet()) {
            Tensor got = back.stateDict().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), got.data(), e.getKey());
        }
        Recurrent seeded = Recurrent.builder("rnn").inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .merge(Merge.SUM).options(Options.of("nonlinearity", "relu")).seed(9).build();
        assertFalse(Arrays.equals(seeded.stateDict().get("weight_hh_l1").data(), back.stateDict().get("weight_hh_l1").data()),
                "the perturbed weights differ from the seeded ones, so the comparison above can tell them apart");

        // Equal weights, equal outputs (up to the vector kernels' lane-sum order between calls).
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = random(rng, 2, 5, 3);
        RecurrentOutput want = layer.forward(x);
        RecurrentOutput got = back.forward(x);
        assertArrayEquals(want.output().data(), got.output().data(), 1e-6f, "output");
        assertArrayEquals(want.finalState("h").data(), got.finalState("h").data(), 1e-6f, "h_n");
        assertFalse(Arrays.equals(seeded.forward(x).output().data(), got.output().data()),
                "the seeded layer's output differs from the loaded one's");
        // The file is a plain PyTorch state dict plus string metadata.
        assertEquals(layer.stateDict().keySet(), SafeTensors.read(file).tensors().keySet());
    }

    /** Saves the layer's weights with {@code meta} as {@code name}, and the message of the load that must fail. */
    private String loadFailure(Recurrent layer, Map<String, String> meta, String name) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        SafeTensors.write(file, layer.stateDict(), meta);
        return assertThrows(ModelFileException.class, () -> Recurrent.load(file)).getMessage();
    }

    @Test
    void filesThatAreNotLayersOrNameUnknownCellsAreClearErrors() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of("w", Tensor.zeros(1)), Map.of());
        var e = assertThrows(ModelFileException.class, () -> Recurrent.load(plain));
        assertTrue(e.getMessage().contains("not a saved rnn4j recurrent layer") && e.getMessage().contains("loadStateDict"),
                e.getMessage());

        Recurrent layer = Recurrent.builder("gru").inputSize(2).hiddenSize(2).build();
        Path file = dir.resolve("gru.safetensors");
        layer.save(file);
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(file).metadata());
        meta.put("cell", "java.lang.Runtime");
        String unknown = loadFailure(layer, meta, "hostile");
        assertTrue(unknown.contains("No cell named 'java.lang.Runtime'"), unknown);

        meta.put("cell", "gru");
        meta.put("hidden_size", "3");
        String shapes = loadFailure(layer, meta, "mis");
        assertTrue(shapes.contains("Wrong shape: weight_ih_l0 (expected [9, 2], found [6, 2])"), shapes);

        meta.put("hidden_size", "2");
        meta.put("bidirectional", "ture");
        String flag = loadFailure(layer, meta, "typo");
        assertTrue(flag.contains("'bidirectional' must be true or false, given 'ture'"), flag);

        meta.put("bidirectional", "false");
        meta.put("format_version", "2");
        String version = loadFailure(layer, meta, "newer");
        assertTrue(version.contains("format_version 2") && version.contains("reads 1"), version);
    }
}
