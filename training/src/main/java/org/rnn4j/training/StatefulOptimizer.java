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
 * {@code <buffer>.<parameter name>}, the step count, and state export and import for checkpoints.
 * The step count is the optimizer's, not each parameter's as in PyTorch: the two agree when every
 * step updates every parameter, as the trainer's do.
 */
abstract class StatefulOptimizer implements Optimizer {

    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private long steps;

    /** Names of the per-parameter buffers this optimizer keeps. */
    abstract List<String> bufferNames();

    /**
     * Updates one parameter; {@code t} is the 1-based step number; {@code fresh} says that its
     * buffers were made for this step (zeros), as at the first step or for a parameter new to the optimizer.
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
            update(p, bufs, steps, rate, fresh);
        }
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("step", Tensor.wrap(new float[] {Float.intBitsToFloat((int) steps), Float.intBitsToFloat((int) (steps >>> 32))}, 2));
        buffers.forEach((k, v) -> state.put(k, Tensor.wrap(v.clone(), shapes.get(k))));
        return state;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        Tensor step = state.get("step");
        if (step == null || !step.hasShape(2)) {
            throw new IllegalArgumentException("optimizer state: missing 'step' of shape [2]");
        }
        List<String> names = bufferNames();
        TreeSet<String> unexpected = new TreeSet<>();
        for (String key : state.keySet()) {
            if (!key.equals("step") && names.stream().noneMatch(n -> key.startsWith(n + "."))) {
                unexpected.add(key);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("optimizer state: unexpected tensors " + unexpected
                    + "; this optimizer keeps " + names);
        }
        buffers.clear();
        shapes.clear();
        state.forEach((k, v) -> {
            if (!k.equals("step")) {
                buffers.put(k, v.data().clone());
                shapes.put(k, v.shape());
            }
        });
        float[] s = step.data();
        steps = (Float.floatToRawIntBits(s[0]) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(s[1]) << 32);
    }
}
