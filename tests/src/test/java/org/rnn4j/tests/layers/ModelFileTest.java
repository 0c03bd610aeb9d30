package org.rnn4j.tests.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.io.ModelFileException;
import org.rnn4j.core.io.SafeTensors;
import org.rnn4j.nn.Merge;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.spi.Options;

class ModelFileTest {

    @TempDir
    Path dir;

    @Test
    void aSavedLayerLoadsBackIdentically() throws IOException {
        Recurrent layer = Recurrent.builder("rnn").inputSize(3).hiddenSize(4).layers(2).bidirectional(true)
                .merge(Merge.SUM).options(Options.of("nonlinearity", "relu")).seed(9).build();
        Path file = dir.resolve("rnn.safetensors");
        layer.save(file);
        Recurrent back = Recurrent.load(file);
        assertEquals(layer.toString(), back.toString());
        Tensor x = Tensor.full(0.5f, 2, 5, 3);
        assertEquals(layer.forward(x).output(), back.forward(x).output());
        // The file is a plain PyTorch state dict plus string metadata.
        assertEquals(layer.stateDict().keySet(), SafeTensors.read(file).tensors().keySet());
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
        Path hostile = dir.resolve("hostile.safetensors");
        SafeTensors.write(hostile, layer.stateDict(), meta);
        var unknown = assertThrows(ModelFileException.class, () -> Recurrent.load(hostile));
        assertTrue(unknown.getMessage().contains("No cell named 'java.lang.Runtime'"), unknown.getMessage());

        meta.put("cell", "gru");
        meta.put("hidden_size", "3");
        Path misShaped = dir.resolve("mis.safetensors");
        SafeTensors.write(misShaped, layer.stateDict(), meta);
        var shapes = assertThrows(ModelFileException.class, () -> Recurrent.load(misShaped));
        assertTrue(shapes.getMessage().contains("Wrong shape: weight_ih_l0 (expected [9, 2], found [6, 2])"),
                shapes.getMessage());

        meta.put("hidden_size", "2");
        meta.put("bidirectional", "ture");
        Path typo = dir.resolve("typo.safetensors");
        SafeTensors.write(typo, layer.stateDict(), meta);
        var flag = assertThrows(ModelFileException.class, () -> Recurrent.load(typo));
        assertTrue(flag.getMessage().contains("'bidirectional' must be true or false, given 'ture'"), flag.getMessage());

        meta.put("bidirectional", "false");
        meta.put("format_version", "2");
        Path newer = dir.resolve("newer.safetensors");
        SafeTensors.write(newer, layer.stateDict(), meta);
        var version = assertThrows(ModelFileException.class, () -> Recurrent.load(newer));
        assertTrue(version.getMessage().contains("format_version 2") && version.getMessage().contains("reads 1"),
                version.getMessage());
    }
}
