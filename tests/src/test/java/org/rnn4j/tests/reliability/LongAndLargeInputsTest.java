package org.rnn4j.tests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rnn4j.core.Finite;
import org.rnn4j.core.Memory;
import org.rnn4j.core.Tensor;
import org.rnn4j.nn.Recurrent;
import org.rnn4j.nn.RecurrentStream;
import org.rnn4j.spi.Options;

/**
 * Long and large inputs: a million streaming steps in flat memory, ten thousand training steps
 * with truncated BPTT inside a 16 MB heap, and sizes too large for the heap refused before anything
 * is allocated, with the bytes they would need.
 */
class LongAndLargeInputsTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aMillionStreamingStepsRunInFlatMemory() {
        int chunks = 10;
        int chunk = 100_000;
        Recurrent lstm = Recurrent.builder("lstm").inputSize(4).hiddenSize(16).layers(2).seed(1).build();
        RecurrentStream stream = lstm.stream(2);
        Tensor x = Tensor.zeros(2, 4);
        for (int s = 0; s < 20_000; s++) {
            step(stream, x, s);
        }
        long heapBefore = heapAfterGc();
        long[] allocated = new long[chunks];
        long begin = System.nanoTime();
        float last = 0;
        for (int c = 0; c < chunks; c++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < chunk; s++) {
                last = step(stream, x, s);
            }
            allocated[c] = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        long growth = heapAfterGc() - heapBefore;
        long least = java.util.Arrays.stream(allocated).min().orElseThrow();
        System.out.printf("LongAndLargeInputsTest: %d streaming steps in %.1f s, bytes allocated per 100,000 steps %s,"
                + " heap after GC grew by %d bytes%n", chunks * chunk, seconds, java.util.Arrays.toString(allocated), growth);
        assertTrue(Float.isFinite(last), "the state stays finite");
        // Once compiled, a step of the built-in cells allocates nothing (until C2 compiles the Vector API
        // code, which a loaded machine may delay, its vectors are boxed): some 100,000 steps allocate
        // well under a byte each.
        assertTrue(least < chunk / 4, "bytes allocated per 100,000 steps: " + java.util.Arrays.toString(allocated));
        assertTrue(growth < 4 << 20, "the retained heap grew by " + growth + " bytes");
    }

    private static float step(RecurrentStream stream, Tensor x, int s) {
        x.data()[s & 7] = (float) Math.sin(s * 0.01);
        return stream.step(x).data()[0];
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    // Reading a hung child's output would block for ever: fail instead.
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenThousandStepsTrainWithTruncatedBpttAndRunForInferenceInASmallHeapWhereFullBpttIsRefused() throws Exception {
        // Full BPTT over T = 10,000 (B = 4, H = 32) needs about 57 MB by the layer's estimate for training,
        // more than the child's 16 MB heap, and is refused up front; windows of k1 = 100 steps need about 0.6 MB.
        List<String> lines = ChildJvm.run(120, LongSequenceTraining.class, List.of("-Xmx16m"), "10000", "32", "4");
        System.out.println("LongAndLargeInputsTest: " + String.join("; ", lines));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("full-bptt: .*the outputs and workspace of input \\[4, 10000, 1] needs \\d+ bytes"
                + " \\(.* MiB\\) of float32, more than the Java heap's maximum of .*"), lines.get(0));
        assertTrue(lines.get(1).startsWith("truncated-bptt: 100 windows, loss "), lines.get(1));
        // Inference over the whole batch keeps its output (about 5 MB), not training's per-step buffers.
        assertEquals("inference: output [4, 10000, 32]", lines.get(2));
    }

    @Test
    // Reading a hung child's output would block for ever: fail instead.
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTensorTooLargeForAnArrayOrTheHeapIsRefusedBeforeAllocating() throws Exception {
        var overflow = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(100_000, 100_000, 64));
        assertEquals("Tensor.zeros: shape [100000, 100000, 64] has 640000000000 elements, 2560000000000 bytes (2.3 TiB)"
                + " of float32, more than a Java array holds (2147483639 elements)", overflow.getMessage());
        // A tensor larger than the heap fits in an array only when the heap is under 8 GiB: a child
        // JVM with a small heap makes the check independent of this machine's memory.
        List<String> lines = ChildJvm.run(60, HeapLimit.class, List.of("-Xmx64m"));
        assertEquals(3, lines.size(), lines.toString());
        long heap = Long.parseLong(lines.get(0));
        long count = heap / Float.BYTES + 1;
        String message = lines.get(1);
        assertTrue(message.startsWith("Tensor.zeros: shape [" + count + "] needs " + 4L * count + " bytes"), message);
        assertTrue(message.contains("more than the Java heap's maximum of " + heap + " bytes"), message);
        long allocated = Long.parseLong(lines.get(2));
        assertTrue(allocated < 1 << 20, "nothing large was allocated, but " + allocated + " bytes were");
    }

    @Test
    void aForwardPassTooLargeForTheHeapIsRefusedBeforeAllocatingNamingTheBytes() {
        // Uniform initialization: the default orthogonal one of a 1024 x 1024 matrix takes seconds.
        Recurrent rnn = Recurrent.builder("rnn").inputSize(1).hiddenSize(1024).options(Options.of("init", "pytorch")).build();
        // Inference keeps about H floats of output per step of each sequence: make two sequences' exceed the heap.
        long heap = Runtime.getRuntime().maxMemory();
        int steps = (int) Math.min(Memory.MAX_ARRAY_LENGTH / 16, heap / Float.BYTES / 2048 + 1024);
        Tensor x = Tensor.zeros(2, steps, 1);
        // The finite check of the input runs before the refusal, and until C2 compiles it its vector
        // operations allocate (57-72 MB per call over this input when the test runs alone; five calls
        // compile it here). Run it until it allocates next to nothing, so that what the refused pass
        // allocates is the pass's own.
        for (int call = 0; call < 100; call++) {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            assertEquals(-1, Finite.firstNonFinite(x.data()));
            if (THREADS.getCurrentThreadAllocatedBytes() - start < 1 << 16) {
                break;
            }
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        var e = assertThrows(IllegalArgumentException.class, () -> rnn.forward(x));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, "nothing large was allocated, but " + allocated + " bytes were");
        assertTrue(e.getMessage().startsWith("Recurrent 'rnn'.forward: the outputs and workspace of input [2, " + steps
                + ", 1] needs "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the Java heap's maximum of " + heap + " bytes"), e.getMessage());
    }
}
