package org.rnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;

/** Loading named tensors into parameters, with one message that lists every problem at once. */
public final class StateDicts {

    private StateDicts() {
    }

    /**
     * Copies {@code dict[prefix + name]} into each parameter's value.
     *
     * @param owner what is loaded, for the message
     * @throws IllegalArgumentException listing every missing, unexpected and mis-shaped tensor; nothing
     *                                  is copied unless everything fits
     */
    public static void load(String owner, List<Parameter> parameters, Map<String, Tensor> dict, String prefix) {
        Objects.requireNonNull(dict, () -> owner + ": the weights to load are null");
        Objects.requireNonNull(prefix, () -> owner + ": prefix is null (\"\" for none)");
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (Parameter p : parameters) {
            String key = prefix + p.name();
            expected.add(key);
            Tensor t = dict.get(key);
            if (t == null) {
                missing.add(key);
            } else if (!t.hasShape(p.shape())) {
                misShaped.add(key + " (expected " + Arrays.toString(p.shape()) + ", found " + Arrays.toString(t.shape()) + ")");
            }
        }
        Set<String> unexpected = new TreeSet<>();
        for (String key : dict.keySet()) {
            if (key.startsWith(prefix) && !expected.contains(key)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty() || !misShaped.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder(owner).append(": the weights do not fit.");
            if (!missing.isEmpty()) {
                sb.append(" Missing: ").append(String.join(", ", missing)).append('.');
            }
            if (!misShaped.isEmpty()) {
                sb.append(" Wrong shape: ").append(String.join(", ", misShaped)).append('.');
            }
            if (!unexpected.isEmpty()) {
                sb.append(" Unexpected: ").append(String.join(", ", unexpected)).append('.');
            }
            throw new IllegalArgumentException(sb.toString());
        }
        for (Parameter p : parameters) {
            p.value().copyFrom(dict.get(prefix + p.name()));
        }
    }
}
