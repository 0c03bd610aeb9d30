package org.rnn4j.core.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rnn4j.core.Parameter;
import org.rnn4j.core.Tensor;
import org.rnn4j.core.kernel.Kernels;

/** Checks every tape operation's gradient against central finite differences. */
class TapeTest {

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.nextDouble(-1, 1);
        }
        return t;
    }

    /**
     * Builds {@code loss = sum(f(x, w, b) * probe)} and compares the tape's gradients for x and the
     * two parameters with finite differences of the same function in double-checked float.
     */
    private static void check(Function<Object[], Var> body, int[] xShape, int[] wShape, int[] bShape) {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = random(rng, xShape);
        Parameter w = new Parameter("w", random(rng, wShape));
        Parameter b = new Parameter("b", random(rng, bShape));
        Tape tape = new Tape(Kernels.scalar());
        Var xv = tape.input(x);
        Var out = body.apply(new Object[] {tape, xv, tape.parameter(w), tape.parameter(b)});
        Tensor probe = random(rng, out.shape());
        tape.backward(new Var[] {out}, new Tensor[] {probe});
        for (var target : List.of(x, w.value(), b.value())) {
            Tensor analytic = target == x ? xv.grad() : target == w.value() ? w.grad() : b.grad();
            for (int i = 0; i < target.size(); i++) {
                float keep = target.data()[i];
                double h = 1e-3;
                target.data()[i] = (float) (keep + h);
                double up = loss(body, x, w, b, probe);
                target.data()[i] = (float) (keep - h);
                double down = loss(body, x, w, b, probe);
                target.data()[i] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, analytic.data()[i], 2e-3 + 2e-3 * Math.abs(numeric),
                        "gradient element " + i);
            }
        }
    }

    private static double loss(Function<Object[], Var> body, Tensor x, Parameter w, Parameter b, Tensor probe) {
        Tape tape = new Tape(Kernels.scalar());
        Var out = body.apply(new Object[] {tape, tape.constant(x), tape.constant(w.value()), tape.constant(b.value())});
        double s = 0;
        for (int i = 0; i < probe.size(); i++) {
            s += (double) out.value().data()[i] * probe.data()[i];
        }
        return s;
    }

    private static Tape t(Object[] a) {
        return (Tape) a[0];
    }

    private static Var v(Object[] a, int i) {
        return (Var) a[i];
    }

    @Test
    void linearGradients() {
        check(a -> t(a).linear(v(a, 1), v(a, 2), v(a, 3)), new int[] {3, 4}, new int[] {5, 4}, new int[] {5});
    }

    @Test
    void gateArithmeticGradients() {
        // An LSTM-like expression: sigmoid, tanh, mul, add, oneMinus, slice, concat, row broadcast.
        check(a -> {
            Tape tape = t(a);
            Var g = tape.linear(v(a, 1), v(a, 2), null);
            Var i = tape.sigmoid(tape.slice(g, 0, 3));
            Var c = tape.tanh(tape.add(tape.slice(g, 3, 6), v(a, 3)));
            Var z = tape.mul(tape.oneMinus(i), c);
            Var r = tape.relu(tape.sub(tape.slice(g, 0, 3), v(a, 3)));
            return tape.concat(z, tape.scale(tape.mul(r, v(a, 3)), 0.5f), tape.mul(i, c));
        }, new int[] {2, 4}, new int[] {6, 4}, new int[] {3});
    }

    /** {@code exp(a)}, as a plugin would add it. */
    private static Var exp(Tape tape, Var a) {
        Tensor y = Tensor.zeros(a.shape());
        for (int i = 0; i < y.size(); i++) {
            y.data()[i] = (float) Math.exp(a.value().data()[i]);
        }
        return tape.custom(y, (dy, dIn) -> {
            for (int i = 0; i < y.size(); i++) {
                dIn[0].data()[i] += dy.data()[i] * y.data()[i];
            }
        }, a);
    }

    /** {@code a * b} with {@code b} a row vector over {@code a}'s rows: two inputs, one reduced. */
    private static Var scaleColumns(Tape tape, Var a, Var b) {
        int cols = b.dim(0);
        Tensor y = Tensor.zeros(a.shape());
        for (int i = 0; i < y.size(); i++) {
            y.data()[i] = a.value().data()[i] * b.value().data()[i % cols];
        }
        return tape.custom(y, (dy, dIn) -> {
            for (int i = 0; i < y.size(); i++) {
                if (dIn[0] != null) {
                    dIn[0].data()[i] += dy.data()[i] * b.value().data()[i % cols];
                }
                if (dIn[1] != null) {
                    dIn[1].data()[i % cols] += dy.data()[i] * a.value().data()[i];
                }
            }
        }, a, b);
    }

    @Test
    void customOperationGradients() {
        check(a -> {
            Tape tape = t(a);
            Var g = tape.linear(v(a, 1), v(a, 2), null);
            return tape.tanh(scaleColumns(tape, exp(tape, g), v(a, 3)));
        }, new int[] {3, 4}, new int[] {5, 4}, new int[] {5});
    }

    @Test
    void selectRowsGradientsFlowToTheChosenOperand() {
        check(a -> {
            Tape tape = t(a);
            Var g = tape.linear(v(a, 1), v(a, 2), null);
            return tape.selectRows(new boolean[] {true, false, true}, tape.tanh(g), tape.mul(g, v(a, 3)));
        }, new int[] {3, 4}, new int[] {5, 4}, new int[] {5});
    }

    @Test
    void aCustomOperationNeedsAnInputAndSkipsConstants() {
        Tape tape = new Tape();
        assertThrows(IllegalArgumentException.class, () -> tape.custom(Tensor.zeros(1, 1), (dy, dIn) -> { }));
        Var c = tape.constant(Tensor.full(2f, 1, 2));
        Var x = tape.input(Tensor.full(3f, 1, 2));
        Tensor[][] seen = new Tensor[1][];
        Var y = tape.custom(Tensor.full(6f, 1, 2), (dy, dIn) -> {
            seen[0] = dIn.clone();
            dIn[1].data()[0] += dy.data()[0] * 2f;
            dIn[1].data()[1] += dy.data()[1] * 2f;
        }, c, x);
        tape.backward(new Var[] {y}, new Tensor[] {Tensor.full(1f, 1, 2)});
        assertEquals(null, seen[0][0], "a constant input gets no gradient buffer");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2f, 2f}, x.grad().data());
    }

    @Test
    void reusedValuesAccumulateGradients() {
        Parameter w = new Parameter("w", Tensor.wrap(new float[] {2f}, 1, 1));
        Tape tape = new Tape();
        Var x = tape.input(Tensor.wrap(new float[] {3f}, 1, 1));
        Var wv = tape.parameter(w);
        Var y = tape.linear(tape.linear(x, wv, null), wv, null); // y = w*w*x
        tape.backward(new Var[] {y}, new Tensor[] {Tensor.full(1f, 1, 1)});
        assertEquals(2 * 2f * 3f, w.grad().data()[0], 1e-6);
        assertEquals(4f, x.grad().data()[0], 1e-6);
    }

    @Test
    void shapeErrorsNameTheOperation() {
        Tape tape = new Tape();
        var x = tape.input(Tensor.zeros(2, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> tape.linear(x, tape.input(Tensor.zeros(4, 2)), null));
        assertTrue(e.getMessage().startsWith("linear: weight must have shape [4, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> tape.add(x, tape.input(Tensor.zeros(2))));
        assertTrue(e2.getMessage().contains("[2, 3] or [3]"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tape.slice(x, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> tape.concat(x, tape.input(Tensor.zeros(3, 3))));
    }

    @Test
    void aBadSeedChangesNoGradient() {
        Tape tape = new Tape();
        Var x = tape.input(Tensor.full(1f, 2, 3));
        Var y = tape.tanh(x);
        Var z = tape.sigmoid(x);
        var e = assertThrows(IllegalArgumentException.class,
                () -> tape.backward(new Var[] {y, z}, new Tensor[] {Tensor.full(1f, 2, 3), Tensor.full(1f, 3, 2)}));
        assertTrue(e.getMessage().contains("seed 1"), e.getMessage());
        assertEquals(0f, y.grad().data()[0]);
        tape.backward(new Var[] {y, z}, new Tensor[] {Tensor.full(1f, 2, 3), Tensor.full(1f, 2, 3)});
        float t = (float) Math.tanh(1);
        float s = (float) (1 / (1 + Math.exp(-1)));
        assertEquals(1 - t * t + s * (1 - s), x.grad().data()[0], 1e-5);
    }

    @Test
    void concatKeepsItsPartsWhenTheCallersArrayChanges() {
        Tape tape = new Tape();
        Var a = tape.input(Tensor.full(1f, 1, 2));
        Var b = tape.input(Tensor.full(2f, 1, 1));
        Var[] parts = {a, b};
        Var c = tape.concat(parts);
        parts[0] = b;
        parts[1] = a;
        tape.backward(new Var[] {c}, new Tensor[] {Tensor.wrap(new float[] {1f, 2f, 3f}, 1, 3)});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1f, 2f}, a.grad().data());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {3f}, b.grad().data());
    }
}
