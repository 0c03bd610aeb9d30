package org.rnn4j.tests.goldens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rnn4j.core.Tensor;

/** Finds the golden files and compares tensors with the goldens' tolerance. */
final class Goldens {

    /** {@code |got - want| <= ABS + REL * |want|}, as GOLDENS.md suggests for float32 code. */
    static final double ABS = 1e-4;
    static final double REL = 1e-4;

    private Goldens() {
    }

    /** The folder named by {@code RNN4J_GOLDENS}, else the bundled copy. */
    static Path folder() {
        String env = System.getenv("RNN4J_GOLDENS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String bundled = System.getProperty("rnn4j.goldens.bundled");
        if (bundled == null) {
            throw new IllegalStateException("neither RNN4J_GOLDENS nor -Drnn4j.goldens.bundled is set");
        }
        return Path.of(bundled);
    }

    /** The bundled padded-batch set, which {@code RNN4J_GOLDENS} does not replace. */
    static Path paddedFolder() {
        String padded = System.getProperty("rnn4j.goldens.padded");
        if (padded == null) {
            throw new IllegalStateException("-Drnn4j.goldens.padded is not set");
        }
        return Path.of(padded);
    }

    /** {@link #files(Path, String...)} in {@link #folder()}. */
    static List<Path> files(String... prefixes) throws IOException {
        return files(folder(), prefixes);
    }

    /**
     * The golden files in {@code dir} whose names start with one of {@code prefixes}; fails when
     * there are none, so a wrong folder cannot pass silently.
     */
    static List<Path> files(Path dir, String... prefixes) throws IOException {
        if (!Files.isDirectory(dir)) {
            fail("golden folder " + dir + " does not exist");
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .filter(p -> Stream.of(prefixes).anyMatch(pre -> p.getFileName().toString().startsWith(pre)))
                    .sorted().toList();
        }
        if (found.isEmpty()) {
            fail("no golden file starting with " + List.of(prefixes) + " in " + dir);
        }
        return found;
    }

    /** Asserts shape equality and element-wise closeness, naming the tensor and the worst element. */
    static void assertClose(String what, Tensor want, Tensor got) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.size(); i++) {
            double w = want.data()[i];
            double g = got.data()[i];
            double excess = Math.abs(g - w) - (ABS + REL * Math.abs(w));
            if (!(excess <= worst) || Double.isNaN(g)) {
                worst = Double.isNaN(g) ? Double.POSITIVE_INFINITY : excess;
                at = i;
            }
        }
        if (at >= 0) {
            fail(what + ": element " + at + " is " + got.data()[at] + ", expected " + want.data()[at]
                    + " (tolerance " + ABS + " + " + REL + "*|want|)");
        }
    }
}
