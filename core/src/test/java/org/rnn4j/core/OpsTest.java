package org.rnn4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.core.kernel.Kernels;

class OpsTest {

    static Stream<Ops> implementations() {
        return Stream.of(Ops.using(Kernels.scalar()), Ops.get());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmulWithTransposes(Ops ops) {
        Tensor a = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.wrap(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertArrayEquals(new float[] {4, 5, 10, 11}, ops.matmul(a, b).data());
        // a^T [3,2] x a [2,3]
        Tensor ata = ops.matmul(a, true, a, false);
        assertArrayEquals(new int[] {3, 3}, ata.shape());
        assertEquals(1 * 1 + 4 * 4, ata.get(0, 0));
        assertEquals(2 * 3 + 5 * 6, ata.get(1, 2));
        // a [2,3] x a^T [3,2]
        assertArrayEquals(new float[] {14, 32, 32, 77}, ops.matmul(a, false, a, true).data());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmulMismatchNamesOperationAndShapes(Ops ops) {
        var e = assertThrows(IllegalArgumentException.class, () -> ops.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().startsWith("gemm: inner dimensions differ"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> ops.matmul(Tensor.zeros(2, 3, 1), Tensor.zeros(3, 5)));
        assertTrue(rank.getMessage().contains("rank 2") && rank.getMessage().contains("[2, 3, 1]"), rank.getMessage());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void gemmIntoChecksOutputShape(Ops ops) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ops.gemmInto(1f, Tensor.zeros(2, 3), false, Tensor.zeros(3, 4), false, 0f, Tensor.zeros(4, 2)));
        assertEquals("gemm: c must have shape [2, 4], given [4, 2]", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void elementwiseShapeMismatch(Ops ops) {
        var e = assertThrows(IllegalArgumentException.class, () -> ops.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertEquals("add: b must have shape [2, 3], given [3, 2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ops.mul(Tensor.zeros(2), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> ops.axpy(1f, Tensor.zeros(2), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> ops.matvec(Tensor.zeros(2, 3), Tensor.zeros(2)));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void softmaxRowsSumToOne(Ops ops) {
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 1000, 1000, -1000}, 2, 3);
        Tensor s = ops.softmax(x);
        assertEquals(1.0, s.get(0, 0) + s.get(0, 1) + s.get(0, 2), 1e-6);
        assertEquals(0.5, s.get(1, 0), 1e-6);
        assertEquals(0.0, s.get(1, 2), 1e-30);
        Tensor ls = ops.logSoftmax(x);
        assertEquals(Math.log(s.get(0, 1)), ls.get(0, 1), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ops.softmax(Tensor.zeros(2, 0)));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void reductions(Ops ops) {
        Tensor x = Tensor.wrap(new float[] {3, -4, 1, 2}, 4);
        assertEquals(2f, ops.sum(x));
        assertEquals(3f, ops.max(x));
        assertEquals(Math.sqrt(30), ops.norm2(x), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ops.max(Tensor.zeros(0)));
    }
}
