package org.rnn4j.core.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.rnn4j.core.parallel.WorkerPool;

/**
 * Chooses the kernels once per JVM. The Vector API class is linked reflectively, only after the
 * incubator module is known to be readable, so a class-path launch without
 * {@code --add-modules jdk.incubator.vector} falls back instead of failing with a linkage error.
 */
final class KernelSelector {

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
    private static final String VECTOR_CLASS = "org.rnn4j.core.internal.vector.VectorKernels";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Chosen at class initialization, which the JVM runs once and thread-safely. */
    static final Kernels DEFAULT = select();

    private KernelSelector() {
    }

    static Kernels vector(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Kernels.vector: threads must be >= 1, given " + threads);
        }
        String reason = vectorUnavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException("Vector API kernels are not usable: " + reason);
        }
        try {
            MethodHandle ctor = MethodHandles.lookup().findConstructor(
                    Class.forName(VECTOR_CLASS), MethodType.methodType(void.class, int.class));
            return (Kernels) ctor.invoke(threads);
        } catch (UnsupportedOperationException e) {
            throw e;
        } catch (Throwable e) {
            throw new UnsupportedOperationException("Vector API kernels could not be loaded: " + e, e);
        }
    }

    private static Kernels select() {
        String wanted = System.getProperty(Kernels.IMPLEMENTATION_PROPERTY, "vector").trim();
        if (wanted.equals("scalar")) {
            LOG.log(System.Logger.Level.INFO, "rnn4j kernels: scalar (forced by -D{0}=scalar)",
                    Kernels.IMPLEMENTATION_PROPERTY);
            return ScalarKernels.INSTANCE;
        }
        if (!wanted.equals("vector")) {
            LOG.log(System.Logger.Level.WARNING,
                    "Ignoring -D{0}={1}: expected 'vector' or 'scalar'", Kernels.IMPLEMENTATION_PROPERTY, wanted);
        }
        try {
            Kernels kernels = vector(WorkerPool.defaultThreads());
            LOG.log(System.Logger.Level.INFO, "rnn4j kernels: vector ({0}-bit, up to {1} threads)",
                    kernels.vectorBitSize(), kernels.maxThreads());
            return kernels;
        } catch (UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "rnn4j kernels: scalar, because {0}", e.getMessage());
            return ScalarKernels.INSTANCE;
        }
    }

    /** Why the Vector API cannot be used here, or null when it can. */
    private static String vectorUnavailableReason() {
        Module self = KernelSelector.class.getModule();
        var vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (vectorModule.isEmpty()) {
            return "module " + VECTOR_MODULE + " is not in the boot layer; on the class path pass "
                    + "'--add-modules " + VECTOR_MODULE + "' to java";
        }
        if (!self.canRead(vectorModule.get())) {
            self.addReads(vectorModule.get());
        }
        return null;
    }
}
