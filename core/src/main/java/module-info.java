/**
 * Tensors and numeric kernels. The only rnn4j module that uses the incubating Vector API; its
 * SIMD kernels live in an unexported package behind {@link org.rnn4j.core.kernel.Kernels}.
 */
module org.rnn4j.core {
    requires jdk.incubator.vector;

    exports org.rnn4j.core;
    exports org.rnn4j.core.autograd;
    exports org.rnn4j.core.io;
    exports org.rnn4j.core.kernel;
    exports org.rnn4j.core.parallel;
}
