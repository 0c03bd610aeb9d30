package org.rnn4j.core;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order: element {@code [i0][i1]...[ik]} of shape
 * {@code [d0, d1, ..., dk]} lives at {@code data()[((i0*d1 + i1)*d2 + ...)*dk + ik]}.
 *
 * <p>A tensor is a shape over a backing array that it owns or shares: {@link #reshape} returns a
 * view of the same array. The values are mutable; the shape is not. Tensors are not thread-safe
 * for writes: share a tensor between threads only to read it.
 */
public final class Tensor {

    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * A tensor of zeros.
     *
     * @throws IllegalArgumentException before allocating, when a dimension is negative, the element count
     *                                  exceeds a Java array, or the bytes exceed the heap's maximum (naming the
     *                                  shape and the bytes needed), or a {@link Memory#withBudget budget} in force
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Memory.floats("Tensor.zeros", s)], s);
    }

    /** A tensor whose every element is {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /**
     * A tensor over {@code data} (not copied: later writes to either are seen by both).
     *
     * @throws IllegalArgumentException when {@code data.length} differs from the product of {@code shape}
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        int size = Shapes.size("Tensor.wrap", s);
        if (data.length != size) {
            throw new IllegalArgumentException("Tensor.wrap: shape " + Arrays.toString(s) + " needs " + size
                    + " values, the array has " + data.length);
        }
        return new Tensor(data, s);
    }

    /** A tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A copy of this tensor's shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /**
     * Size of dimension {@code axis}; negative axes count from the end ({@code -1} is the last).
     *
     * @throws IllegalArgumentException when the axis is out of range
     */
    public int dim(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("Tensor.dim: axis " + axis + " is out of range for shape "
                    + Arrays.toString(shape));
        }
        return shape[a];
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The backing array, row-major. Writes to it change this tensor (and every view of it). */
    public float[] data() {
        return data;
    }

    /** Whether this tensor has exactly the given shape. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * A view of the same values with another shape of the same size; one dimension may be
     * {@code -1} and is then inferred.
     *
     * @throws IllegalArgumentException when the sizes differ
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int inferred = -1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && inferred < 0) {
                inferred = i;
                s[i] = 1; // counts for nothing in the product; set below
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("Tensor.reshape: dimensions must be >= 0, with at most one -1,"
                        + " given " + Arrays.toString(newShape) + " for a tensor of shape " + Arrays.toString(shape));
            }
        }
        // Saturating, not wrapping: a product past 2^63 must not come back as 0.
        long known = Shapes.count("Tensor.reshape", s);
        if (inferred >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("Tensor.reshape: cannot reshape " + Arrays.toString(shape)
                        + " to " + Arrays.toString(newShape));
            }
            s[inferred] = (int) (data.length / known);
            known = data.length;
        }
        if (known != data.length) {
            throw new IllegalArgumentException("Tensor.reshape: cannot reshape " + Arrays.toString(shape) + " ("
                    + data.length + " values) to " + Arrays.toString(newShape) + " (" + known + " values)");
        }
        return new Tensor(data, s);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Sets every element to {@code value} and returns this tensor. */
    public Tensor fill(float value) {
        Arrays.fill(data, value);
        return this;
    }

    /**
     * Copies {@code source}'s values into this tensor.
     *
     * @throws IllegalArgumentException when the shapes differ
     */
    public Tensor copyFrom(Tensor source) {
        Shapes.requireSame("Tensor.copyFrom", "source", this, source);
        System.arraycopy(source.data, 0, data, 0, data.length);
        return this;
    }

    /** The element at {@code index} (one coordinate per dimension). */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the element at {@code index} (one coordinate per dimension). */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    /** Row-major offset of {@code index}, checked against the shape. */
    public int offset(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("Tensor index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, the tensor has rank " + shape.length + " (shape " + Arrays.toString(shape) + ")");
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("Tensor index " + Arrays.toString(index) + " is outside shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Whether both tensors have the same shape and bit-identical values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** The shape and, for small tensors, the values. */
    @Override
    public String toString() {
        String head = "Tensor" + Arrays.toString(shape);
        if (data.length > 32) {
            return head;
        }
        return head + Arrays.toString(data);
    }
}
