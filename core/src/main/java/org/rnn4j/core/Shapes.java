package org.rnn4j.core;

import java.util.Arrays;

/** Shape arithmetic and the checks that turn a mismatch into a message naming what was expected. */
public final class Shapes {

    private Shapes() {
    }

    /**
     * Product of the dimensions.
     *
     * @param operation the caller's name, for the message
     * @throws IllegalArgumentException when a dimension is negative or the product exceeds {@link Integer#MAX_VALUE}
     */
    public static int size(String operation, int... shape) {
        long size = count(operation, shape);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(operation + ": shape " + Arrays.toString(shape)
                    + " has more than " + Integer.MAX_VALUE + " elements");
        }
        return (int) size;
    }

    /**
     * Product of the dimensions, saturating at {@link Long#MAX_VALUE} instead of overflowing (a 0
     * anywhere still gives 0).
     *
     * @throws IllegalArgumentException when a dimension is negative
     */
    static long count(String operation, int... shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(operation + ": dimensions must be >= 0, given shape "
                        + Arrays.toString(shape));
            }
            count = count > Long.MAX_VALUE / Math.max(d, 1) ? Long.MAX_VALUE : count * d;
        }
        return count;
    }

    /**
     * Requires {@code tensor} to have exactly {@code expected} as its shape.
     *
     * @param operation the caller's name
     * @param argument  the argument's name
     * @throws IllegalArgumentException naming the operation, the argument, the expected and the given shape
     */
    public static void require(String operation, String argument, Tensor tensor, int... expected) {
        if (!tensor.hasShape(expected)) {
            throw new IllegalArgumentException(operation + ": " + argument + " must have shape "
                    + Arrays.toString(expected) + ", given " + Arrays.toString(tensor.shape()));
        }
    }

    /**
     * {@link #require(String, String, Tensor, int...)} for a matrix, allocating nothing when the shape
     * fits, for checks that run every step.
     */
    public static void require(String operation, String argument, Tensor tensor, int rows, int cols) {
        if (tensor.rank() != 2 || tensor.dim(0) != rows || tensor.dim(1) != cols) {
            require(operation, argument, tensor, new int[] {rows, cols});
        }
    }

    /** Requires {@code tensor} to have rank {@code rank}. */
    public static void requireRank(String operation, String argument, Tensor tensor, int rank) {
        if (tensor.rank() != rank) {
            throw new IllegalArgumentException(operation + ": " + argument + " must have rank " + rank
                    + ", given shape " + Arrays.toString(tensor.shape()));
        }
    }

    /** Requires {@code other} to have the same shape as {@code reference}. */
    public static void requireSame(String operation, String argument, Tensor reference, Tensor other) {
        require(operation, argument, other, reference.shape());
    }
}
