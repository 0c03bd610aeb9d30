package org.rnn4j.core;

import java.util.Arrays;

/**
 * Checks float allocations before they are made, so that a tensor too large for a Java array or
 * for the heap is an {@link IllegalArgumentException} naming the shape and the bytes needed, not an
 * {@link OutOfMemoryError} minutes into a run; and lets a loader cap what the contents of a file can
 * make it allocate ({@link #withBudget}).
 *
 * <p>The heap check compares against {@link Runtime#maxMemory()} (the {@code -Xmx} limit): a request
 * below it may still fail when the heap is full of other live objects, but one above it never fits.
 */
public final class Memory {

    /** The most elements a Java array reliably holds (a few header words below {@link Integer#MAX_VALUE}). */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final ScopedValue<Budget> BUDGET = ScopedValue.newInstance();

    private Memory() {
    }

    /** What the code running under {@link #withBudget} may still allocate; confined to one thread. */
    private static final class Budget {
        final long limit;
        long used;

        Budget(long limit) {
            this.limit = limit;
        }
    }

    /**
     * The element count of a float tensor of {@code shape}, checked to be allocatable; charged to
     * the budget when one is in force.
     *
     * @param operation the caller's name, for the message
     * @throws IllegalArgumentException when a dimension is negative, the count exceeds
     *                                  {@link #MAX_ARRAY_LENGTH}, or its bytes exceed the heap's maximum or what is
     *                                  left of a budget in force
     */
    public static int floats(String operation, int... shape) {
        long count = Shapes.count(operation, shape);
        if (count <= MAX_ARRAY_LENGTH && count * Float.BYTES <= Runtime.getRuntime().maxMemory() && !BUDGET.isBound()) {
            return (int) count;
        }
        return (int) check(operation, "shape " + Arrays.toString(shape), count, true);
    }

    /**
     * Checks, before a computation allocates, that the {@code count} floats it will need fit the heap;
     * a budget in force is not charged, since nothing is allocated yet.
     *
     * @param what  what needs them, such as {@code "the workspace of input"}
     * @param shape the shape it is for, named in the message after {@code what}
     * @throws IllegalArgumentException when the bytes exceed the heap's maximum, naming them
     */
    public static void requireHeap(String operation, String what, int[] shape, long count) {
        if (count > Runtime.getRuntime().maxMemory() / Float.BYTES) {
            check(operation, what + " " + Arrays.toString(shape), count, false);
        }
    }

    private static long check(String operation, String what, long count, boolean allocate) {
        long bytes = count > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : count * Float.BYTES;
        if (allocate && count > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(operation + ": " + what + " has " + count + " elements, "
                    + describe(bytes) + " of float32, more than a Java array holds (" + MAX_ARRAY_LENGTH + " elements)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap) {
            throw new IllegalArgumentException(operation + ": " + what + " needs " + describe(bytes)
                    + " of float32, more than the Java heap's maximum of " + describe(heap)
                    + "; raise -Xmx, or use smaller batches or shorter sequences");
        }
        if (allocate && BUDGET.isBound()) {
            Budget budget = BUDGET.get();
            if (bytes > budget.limit - budget.used) {
                throw new IllegalArgumentException(operation + ": " + what + " needs " + describe(bytes)
                        + ", past the limit of " + describe(budget.limit) + " in force (" + describe(budget.used)
                        + " already allocated)");
            }
            budget.used += bytes;
        }
        return count;
    }

    /** {@code 1234567 bytes (1.2 MiB)}. */
    static String describe(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u < 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%d bytes (%.1f %s)", bytes, v, units[u]);
    }

    /**
     * Runs {@code action} on this thread with the tensors it allocates through
     * {@link Tensor#zeros} (and so {@link Parameter}s) limited to {@code bytes} in all. Loaders run
     * the construction of a model described by a file under a budget derived from the file's size,
     * so a hostile configuration ({@code hidden_size = 1000000}) fails fast instead of exhausting the heap.
     *
     * @throws IllegalArgumentException from inside {@code action} when an allocation would pass the budget
     */
    public static <T, X extends Throwable> T withBudget(long bytes, ScopedValue.CallableOp<? extends T, X> action)
            throws X {
        if (bytes < 0) {
            throw new IllegalArgumentException("Memory.withBudget: bytes must be >= 0, given " + bytes);
        }
        return ScopedValue.where(BUDGET, new Budget(bytes)).call(action);
    }
}
