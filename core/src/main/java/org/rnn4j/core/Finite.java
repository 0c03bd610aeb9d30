package org.rnn4j.core;

import java.util.Arrays;
import org.rnn4j.core.kernel.Kernels;

/**
 * The finiteness check layers apply to what enters them: a NaN or an infinity in the data is
 * reported where it enters, naming the layer, the argument and the first bad element, instead of
 * surfacing as a NaN loss many steps later. On by default (it reads each input once, a small
 * fraction of a layer's work: see bench/README.md); {@code -Drnn4j.checkFinite=false} turns it off
 * for the whole JVM.
 */
public final class Finite {

    /** The system property that turns the check off when {@code false}. */
    public static final String PROPERTY = "rnn4j.checkFinite";

    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());

    private Finite() {
    }

    /** Whether layers check their inputs (read once from {@value #PROPERTY}). */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * Requires every element of {@code tensor} to be finite, when checking is enabled.
     *
     * @param operation the caller's name, for the message
     * @param argument  the argument's name
     * @throws NonFiniteValueException naming the operation, the argument, and the position and value of the
     *                                 first NaN or infinity
     */
    public static void require(String operation, String argument, Tensor tensor) {
        if (!ENABLED) {
            return;
        }
        int bad = firstNonFinite(tensor.data());
        if (bad >= 0) {
            int[] shape = tensor.shape();
            int[] index = new int[shape.length];
            for (int d = shape.length - 1, rest = bad; d >= 0; d--) {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            float value = tensor.data()[bad];
            throw new NonFiniteValueException(operation + ": " + argument + " holds " + value + " at "
                    + Arrays.toString(index) + " (shape " + Arrays.toString(shape) + "); inputs must be finite "
                    + "(this check is off with -D" + PROPERTY + "=false)", argument, index, value);
        }
    }

    /** The index of the first NaN or infinity in {@code data}, or -1 when all are finite. */
    public static int firstNonFinite(float[] data) {
        return Kernels.get().firstNonFinite(data.length, data, 0);
    }
}
