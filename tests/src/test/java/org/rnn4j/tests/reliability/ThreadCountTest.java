package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Results do not depend on the thread count: a layer whose batch the recurrence splits over two
 * threads computes outputs, final states and every gradient bit for bit as on one thread. Each
 * count runs in its own JVM because the kernels fix their thread count at start-up.
 */
class ThreadCountTest {

    @Test
    void oneAndTwoThreadsGiveBitIdenticalLayers() throws Exception {
        List<String> one = run(1);
        List<String> two = run(2);
        assertEquals("threads 1", one.getFirst());
        assertEquals("threads 2", two.getFirst());
        assertEquals(4, one.size(), "one line per cell after the thread count: " + one);
        assertEquals(one.subList(1, one.size()), two.subList(1, two.size()), "per-cell digests on 1 and 2 threads");
    }

    private static List<String> run(int threads) throws IOException, InterruptedException {
        return ChildJvm.run(120, LayerDigest.class, List.of("-Drnn4j.threads=" + threads));
    }
}
