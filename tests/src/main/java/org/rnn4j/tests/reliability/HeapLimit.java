package org.rnn4j.tests.reliability;

import java.lang.management.ManagementFactory;
import org.rnn4j.core.Tensor;

/**
 * Asks for a tensor one float larger than the heap, for the large-input test, and prints three
 * lines: the heap's maximum in bytes, the refusal's message (or {@code allocated}), and the bytes
 * this thread allocated meanwhile. Run it with a heap under 8 GiB ({@code -Xmx64m}): only there
 * does a tensor larger than the heap still fit in a Java array, so the heap is what refuses it.
 */
public final class HeapLimit {

    private HeapLimit() {
    }

    /** No arguments. */
    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heap = Runtime.getRuntime().maxMemory();
        int count = Math.toIntExact(heap / Float.BYTES + 1);
        String outcome;
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            Tensor.zeros(count);
            outcome = "allocated";
        } catch (IllegalArgumentException e) {
            outcome = e.getMessage();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println(heap);
        System.out.println(outcome);
        System.out.println(allocated);
    }
}
