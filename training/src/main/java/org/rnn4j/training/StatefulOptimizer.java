package org.rnn4j.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.spi.optim.Optimizer;

/**
 * The bookkeeping every built-in optimizer shares: per-parameter buffers keyed by
 * {@code <buffer>.<parameter name>}, step counts, and state export and import for checkpoints.
 * Each parameter counts the steps it took part in, as in PyTorch, so that one left out of some
 * steps (frozen for a while, or added later) gets its own bias corrections and decays.
 */
abstract class StatefulOptimizer implements Optimizer {

    /** The state's step count key; {@code step.<parameter name>} holds each parameter's. */
    static final String STEP = "step";

    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    /** Steps each parameter took part in, by parameter name. */
    private final Map<String, Long> parameterSteps = new LinkedHashMap<>();
    private long steps;

    /** Names of the per-parameter buffers this optimizer keeps. */
    abstract List<String> bufferNames();

    /**
     * Updates one parameter; {@code t} is the 1-based number of steps it took part in, this one
     * included; {@code fresh} says that its buffers were made for this step (zeros), as at the first
     * step or for a parameter new to the optimizer.
     */
    abstract void update(Parameter p, float[][] buffers, long t, double rate, boolean fresh);

    @Override
    public final void step(List<Parameter> parameters, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("optimizer step: learning rate must be finite and >= 0, given " + rate);
        }
        steps++;
        List<String> names = bufferNames();
        for (Parameter p : parameters) {
            float[][] bufs = new float[names.size()][];
            boolean fresh = false;
            for (int i = 0; i < bufs.length; i++) {
                String key = names.get(i) + "." + p.name();
                float[] buf = buffers.get(key);
                if (buf == null) {
                    buf = new float[p.value().size()];
                    buffers.put(key, buf);
                    shapes.put(key, p.shape());
                    fresh = true;
                } else if (buf.length != p.value().size()) {
                    throw new IllegalArgumentException("optimizer step: parameter " + p.name() + " has shape "
                            + Arrays.toString(p.shape()) + ", its optimizer state has " + Arrays.toString(shapes.get(key)));
                }
                bufs[i] = buf;
            }
            update(p, bufs, parameterSteps.merge(p.name(), 1L, Long::sum), rate, fresh);
        }
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put(STEP, count(steps));
        parameterSteps.forEach((name, n) -> state.put(STEP + "." + name, count(n)));
        buffers.forEach((k, v) -> state.put(k, Tensor.wrap(v.clone(), shapes.get(k))));
        return state;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        Tensor step = state.get(STEP);
        if (step == null || !step.hasShape(2)) {
            throw new IllegalArgumentException("optimizer state: missing 'step' of shape [2]");
        }
        List<String> names = bufferNames();
        TreeSet<String> unexpected = new TreeSet<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(STEP + ".")) {
                if (!e.getValue().hasShape(2)) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(e.getValue().shape()) + ", a step count has shape [2]");
                }
            } else if (!key.equals(STEP) && names.stream().noneMatch(n -> key.startsWith(n + "."))) {
                unexpected.add(key);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("optimizer state: unexpected tensors " + unexpected
                    + "; this optimizer keeps " + names);
        }
        buffers.clear();
        shapes.clear();
        parameterSteps.clear();
        steps = count(step);
        state.forEach((k, v) -> {
            if (k.startsWith(STEP + ".")) {
                parameterSteps.put(k.substring(STEP.length() + 1), count(v));
            } else if (!k.equals(STEP)) {
                buffers.put(k, v.data().clone());
                shapes.put(k, v.shape());
            }
        });
        // States saved before parameters counted their own steps: every step updated every parameter.
        for (String key : buffers.keySet()) {
            parameterSteps.putIfAbsent(key.substring(key.indexOf('.') + 1), steps);
        }
    }

    /** A step count as two floats holding its bits (a float cannot hold every long). */
    private static Tensor count(long n) {
        return Tensor.wrap(new float[] {Float.intBitsToFloat((int) n), Float.intBitsToFloat((int) (n >>> 32))}, 2);
    }

    private static long count(Tensor t) {
        float[] s = t.data();
        return (Float.floatToRawIntBits(s[0]) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(s[1]) << 32);
    }
}
