package org.rnn4j.bench;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Compares two builds of rnn4j on one workload in one JVM, a recurrent layer's inference or
 * training step or one matrix product: each build's benchmark
 * jar gets a class loader of its own, and their calls alternate (A B, B A, ...), so both see the
 * machine in the same state. Prints each build's median and the median of the per-pair ratios
 * B/A with its quartiles (at an even count, the upper middle value). On this shared machine, runs
 * of the same code in separate JVMs minutes apart differed by 10-15%; two copies of one build gave
 * median ratios of 0.999-1.009 (RNN and LSTM training, 40 and 400 pairs), single pairs spreading
 * 4-9% either side, and one comparison repeated three times gave 0.953-0.997: read a median within
 * a few percent of 1 as level. Each build has its own worker pool, whose idle worker spins briefly
 * after each call; alternating which build goes first balances that, but it adds noise to calls
 * of a millisecond or two.
 *
 * <p>Usage: {@code PairedBuilds A.jar B.jar CELL BxTxIxH [pairs] [warm-up seconds] [training|inference]}, or
 * {@code PairedBuilds A.jar B.jar gemm MxNxK [pairs] [warm-up seconds] [nn|tn]} for the product of an
 * {@code M x K} and a {@code K x N} matrix on the default kernels ({@code tn}: A stored transposed,
 * as in the weight-gradient products).
 */
public final class PairedBuilds {

    private PairedBuilds() {
    }

    /** One build's workload and the call being timed. */
    private record Build(Object workload, Method call, Object... args) {
        double timeMillis() throws ReflectiveOperationException {
            long t0 = System.nanoTime();
            call.invoke(workload, args);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Runs the comparison; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        BenchArguments.exitUnlessCount(args, 4, 7, "PairedBuilds A.jar B.jar CELL BxTxIxH [pairs=40] [warm-up seconds=10]"
                + " [training|inference]\n       PairedBuilds A.jar B.jar gemm MxNxK [pairs=40] [warm-up seconds=10]"
                + " [nn|tn]");
        boolean gemm = args[2].equals("gemm");
        int pairs = args.length > 4 ? BenchArguments.whole("pairs", args[4]) : 40;
        double warmUp = args.length > 5 ? BenchArguments.number("warm-up seconds", args[5]) : 10;
        String mode = args.length > 6 ? args[6] : gemm ? "nn" : "training";
        List<String> modes = gemm ? List.of("nn", "tn") : List.of("training", "inference");
        if (!modes.contains(mode)) {
            throw new IllegalArgumentException("mode must be one of " + modes + " for " + args[2] + ", given '"
                    + mode + "'");
        }
        Build a;
        Build b;
        if (gemm) {
            int[] mnk = BenchArguments.dimensions("MxNxK", args[3], 3);
            a = loadProduct(args[0], mnk, mode.equals("tn"));
            b = loadProduct(args[1], mnk, mode.equals("tn"));
        } else {
            BenchArguments.shape(args[3]);
            a = load(args[0], args[2], args[3], mode);
            b = load(args[1], args[2], args[3], mode);
        }
        long end = System.nanoTime() + (long) (warmUp * 1e9);
        while (System.nanoTime() < end) {
            a.timeMillis();
            b.timeMillis();
        }
        double[] ta = new double[pairs];
        double[] tb = new double[pairs];
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            // Alternate which build goes first, so neither always runs right after the other's garbage.
            if (i % 2 == 0) {
                ta[i] = a.timeMillis();
                tb[i] = b.timeMillis();
            } else {
                tb[i] = b.timeMillis();
                ta[i] = a.timeMillis();
            }
            ratio[i] = tb[i] / ta[i];
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT,
                "%s %s %s, %d pairs: A %.2f ms, B %.2f ms (medians); B/A median %.3f [quartiles %.3f-%.3f]%n",
                args[2], args[3], mode, pairs, ta[pairs / 2], tb[pairs / 2], ratio[pairs / 2], ratio[pairs / 4],
                ratio[3 * pairs / 4]);
    }

    /** A class loader of its own for the classes in {@code jar}. */
    private static URLClassLoader loader(String jar) throws MalformedURLException {
        File file = new File(jar);
        if (!file.isFile()) {
            throw new IllegalArgumentException("no benchmark jar at " + file.getAbsolutePath());
        }
        return new URLClassLoader(new URL[] {file.toURI().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    /**
     * {@code C = A B} ({@code tn}: {@code A^T B}) of seeded operands of {@code mnk} = M, N, K on the
     * default kernels of the build in {@code jar}.
     */
    private static Build loadProduct(String jar, int[] mnk, boolean transA) throws MalformedURLException {
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        if ((long) m * k > Integer.MAX_VALUE - 8 || (long) k * n > Integer.MAX_VALUE - 8
                || (long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("gemm " + m + "x" + n + "x" + k
                    + ": an operand would exceed the largest Java array (2^31 - 9 floats)");
        }
        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        try {
            Class<?> kernels = loader(jar).loadClass("org.rnn4j.core.kernel.Kernels");
            Object defaults = kernels.getMethod("get").invoke(null);
            Method gemm = kernels.getMethod("gemm", boolean.class, boolean.class, int.class, int.class, int.class,
                    float.class, float[].class, int.class, int.class, float[].class, int.class, int.class,
                    float.class, float[].class, int.class, int.class);
            return new Build(defaults, gemm, transA, false, m, n, k, 1f, a, 0, transA ? m : k, b, 0, n, 0f,
                    new float[m * n], 0, n);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(jar + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(jar + " is not an rnn4j benchmark jar this tool can drive: " + e, e);
        }
    }

    /** The workload of {@code cell} at {@code shape} built from the classes in {@code jar}. */
    private static Build load(String jar, String cell, String shape, String mode)
            throws MalformedURLException {
        URLClassLoader loader = loader(jar);
        // Registries find providers through the context class loader: this build's while it loads,
        // and no build's afterwards, so that the other build's calls cannot resolve through it.
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Object cells = loader.loadClass("org.rnn4j.spi.Registries").getMethod("cells").invoke(null);
            Method get = cells.getClass().getMethod("get", String.class);
            Object provider = get.invoke(cells, cell);
            Class<?> workload = loader.loadClass(RecurrentWorkload.class.getName());
            Method of = workload.getDeclaredMethod("of", String.class, String.class,
                    loader.loadClass("org.rnn4j.spi.cell.CellProvider"));
            of.setAccessible(true);
            Object w = of.invoke(null, shape, cell, provider);
            Method call = workload.getDeclaredMethod(mode.equals("training") ? "trainingStep" : "inference");
            call.setAccessible(true);
            return new Build(w, call);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(jar + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(jar + " is not an rnn4j benchmark jar this tool can drive: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
