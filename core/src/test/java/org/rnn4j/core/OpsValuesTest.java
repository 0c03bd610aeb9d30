package org.rnn4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.kernel.Kernels;

/**
 * The values of {@link Ops}' element-wise methods against {@link Math} in double precision, on the
 * scalar kernels and on those chosen for this JVM, over sizes past a vector's lanes; and
 * {@link Memory#withBudget}'s limit on what the code it runs may allocate.
 */
class OpsValuesTest {

    /** Error allowed around the double-precision value: a few float roundings, plus the vector math's. */
    private static final double U = 0x1p-24;

    static Stream<Ops> implementations() {
        return Stream.of(Ops.using(Kernels.scalar()), Ops.get());
    }

    /** A {@code [3, n/3]}-shaped tensor of uniform values in {@code [lo, hi)}. */
    private static Tensor random(SplittableRandom rng, double lo, double hi) {
        float[] v = new float[3 * 23];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble(lo, hi);
        }
        return Tensor.wrap(v, 3, 23);
    }

    private static void unary(String what, UnaryOperator<Tensor> op, DoubleUnaryOperator exact, Tensor x, double absTol,
                              double relTol) {
        float[] before = x.data().clone();
        Tensor y = op.apply(x);
        assertNotSame(x, y);
        assertArrayEquals(x.shape(), y.shape(), what + " keeps the shape");
        assertArrayEquals(before, x.data(), what + " leaves its input alone");
        for (int i = 0; i < x.size(); i++) {
            double want = exact.applyAsDouble(x.data()[i]);
            assertEquals(want, y.data()[i], absTol + relTol * Math.abs(want), what + "(" + x.data()[i] + ") at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void activationsAndExpAndLogMatchMath(Ops ops) {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = random(rng, -8, 8);
        unary("sigmoid", ops::sigmoid, v -> 1 / (1 + Math.exp(-v)), x, 4 * U, 0);
        unary("tanh", ops::tanh, Math::tanh, x, 4 * U, 0);
        unary("relu", ops::relu, v -> Math.max(0, v), x, 0, 0);
        unary("exp", ops::exp, Math::exp, x, 0, 4 * U);
        Tensor positive = random(rng, 1e-4, 100);
        unary("log", ops::log, Math::log, positive, 0, 4 * U);
        // Exact points.
        Tensor points = Tensor.wrap(new float[] {0, 1, -1, 2}, 4);
        assertArrayEquals(new float[] {0.5f, 0.7310586f, 0.26894143f, 0.8807971f}, ops.sigmoid(points).data(), 2e-7f);
        assertArrayEquals(new float[] {0, 1, 0, 2}, ops.relu(points).data(), 0f);
        assertArrayEquals(new float[] {1, (float) Math.E, (float) (1 / Math.E), (float) Math.exp(2)}, ops.exp(points).data(), 1e-6f);
        assertArrayEquals(new float[] {0, 1, 2}, ops.log(Tensor.wrap(new float[] {1, (float) Math.E, (float) Math.exp(2)}, 3)).data(),
                1e-6f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void addMulAndScaleMatchArithmetic(Ops ops) {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor a = random(rng, -3, 3);
        Tensor b = random(rng, -3, 3);
        float[] aBefore = a.data().clone();
        float[] bBefore = b.data().clone();
        Tensor sum = ops.add(a, b);
        Tensor product = ops.mul(a, b);
        Tensor scaled = ops.scale(a, -2.5f);
        for (Tensor t : new Tensor[] {sum, product, scaled}) {
            assertArrayEquals(a.shape(), t.shape());
        }
        for (int i = 0; i < a.size(); i++) {
            // One rounding each: exactly the float of the double result.
            assertEquals((float) ((double) a.data()[i] + b.data()[i]), sum.data()[i], "add at " + i);
            assertEquals((float) ((double) a.data()[i] * b.data()[i]), product.data()[i], "mul at " + i);
            assertEquals((float) (-2.5 * a.data()[i]), scaled.data()[i], "scale at " + i);
        }
        assertArrayEquals(aBefore, a.data(), "the inputs are left alone");
        assertArrayEquals(bBefore, b.data(), "the inputs are left alone");
        assertArrayEquals(new float[] {4, -1, 0}, ops.add(Tensor.wrap(new float[] {1, -3, 0}, 3), Tensor.wrap(new float[] {3, 2, 0}, 3))
                .data());
        assertArrayEquals(new float[] {3, -6, 0}, ops.mul(Tensor.wrap(new float[] {1, -3, 0}, 3), Tensor.wrap(new float[] {3, 2, 7}, 3))
                .data());
        assertArrayEquals(new float[] {0f, -0f, 0f}, ops.scale(Tensor.wrap(new float[] {1, -3, 5}, 3), 0f).data());
    }

    @Test
    void allocationsUnderABudgetAreChargedUntilItIsSpent() {
        // 100 bytes: 20 floats fit, then 5 more, then not one more.
        String result = Memory.withBudget(100, () -> {
            Tensor first = Tensor.zeros(4, 5);
            assertEquals(20, first.size());
            Tensor.zeros(5);
            var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1));
            assertTrue(e.getMessage().contains("past the limit of 100 bytes") && e.getMessage().contains("(100 bytes already allocated)"),
                    e.getMessage());
            return "done";
        });
        assertEquals("done", result, "the action's value comes back");
        // A request past what is left fails whole and charges nothing.
        Memory.withBudget(100, () -> {
            Tensor.zeros(16);
            var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 5));
            assertTrue(e.getMessage().contains("Tensor.zeros") && e.getMessage().contains("[2, 5]")
                    && e.getMessage().contains("40 bytes") && e.getMessage().contains("(64 bytes already allocated)"), e.getMessage());
            assertEquals(9, Tensor.zeros(9).size(), "the refused request took nothing of the 36 bytes left");
            return null;
        });
        // A parameter's gradient is allocated through the same check: a value made outside the
        // scope costs nothing, its gradient of 16 floats fits 64 bytes, one of 17 does not.
        Tensor sixteen = Tensor.zeros(16);
        Tensor seventeen = Tensor.zeros(17);
        assertEquals(16, Memory.withBudget(64, () -> new Parameter("w", sixteen)).grad().size());
        assertThrows(IllegalArgumentException.class, () -> Memory.withBudget(64, () -> new Parameter("w", seventeen)));
        // Outside the scope nothing is limited, and a zero budget allows only empty tensors.
        assertEquals(1000, Tensor.zeros(1000).size());
        Memory.withBudget(0, () -> {
            assertEquals(0, Tensor.zeros(0, 5).size());
            assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1));
            return null;
        });
        var negative = assertThrows(IllegalArgumentException.class, () -> Memory.withBudget(-1, () -> null));
        assertTrue(negative.getMessage().contains("bytes must be >= 0, given -1"), negative.getMessage());
        // A checked exception of the action passes through as itself.
        assertThrows(java.io.IOException.class, () -> Memory.withBudget(10, () -> {
            throw new java.io.IOException("from the action");
        }));
    }
}
