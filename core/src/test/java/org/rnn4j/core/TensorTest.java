package org.rnn4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void rowMajorIndexing() {
        Tensor t = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertEquals(7f, t.get(1, 0, 1));
        assertEquals(((1 * 3) + 2) * 2 + 1, t.offset(1, 2, 1));
        t.set(42f, 0, 2, 0);
        assertEquals(42f, t.data()[4]);
    }

    @Test
    void reshapeSharesDataAndInfersOneDimension() {
        Tensor t = Tensor.zeros(4, 6);
        Tensor v = t.reshape(2, -1, 3);
        assertArrayEquals(new int[] {2, 4, 3}, v.shape());
        v.set(5f, 1, 3, 2);
        assertEquals(5f, t.get(3, 5));
    }

    @Test
    void reshapeToOtherSizeNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4, 6).reshape(5, 5));
        assertTrue(e.getMessage().contains("[4, 6]") && e.getMessage().contains("[5, 5]"), e.getMessage());
    }

    @Test
    void wrapChecksLength() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("needs 6") && e.getMessage().contains("has 5"), e.getMessage());
    }

    @Test
    void negativeAndOverflowingShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }

    @Test
    void indexOutsideShapeFails() {
        Tensor t = Tensor.zeros(2, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(1));
    }

    @Test
    void copyIsDeepAndEqualityIsByValue() {
        Tensor a = Tensor.full(1.5f, 3);
        Tensor b = a.copy();
        assertEquals(a, b);
        b.data()[0] = 2f;
        assertEquals(1.5f, a.data()[0]);
        assertTrue(!a.equals(b));
    }

    @Test
    void copyFromChecksShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("Tensor.copyFrom"), e.getMessage());
    }
}
