package org.rnn4j.core.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards the code shape that keeps the element-wise and gate kernels compiled: no method takes or
 * returns a vector or a mask, so no vector crosses a call that C2 might not inline (where it would
 * be boxed and run the Vector API's Java fallback). See {@link VectorFunctions}.
 */
class VectorCodeShapeTest {

    @ParameterizedTest
    @ValueSource(classes = {VectorFunctions.class, VectorMath.class, VectorGates.class, VectorGemm.class})
    void noMethodPassesVectors(Class<?> type) {
        List<String> offenders = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            List<Class<?>> types = new ArrayList<>(List.of(method.getParameterTypes()));
            types.add(method.getReturnType());
            if (types.stream().anyMatch(t -> Vector.class.isAssignableFrom(t) || VectorMask.class.isAssignableFrom(t))) {
                offenders.add(method.getName());
            }
        }
        assertEquals(List.of(), offenders);
    }
}
