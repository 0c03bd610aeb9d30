package bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Deeplearning4j SameDiff peer of rnn4j's recurrent-layer benchmarks: the fused libnd4j ops
 * {@code lstmLayer} and {@code gru} (time-major [T, B, I], one layer, float32). {@code infer} =
 * {@code outputSingle} (forward only); {@code train} = {@code calculateGradients} of
 * {@code sum(out * R)} for a fixed random R, for the weights and the input (forward and backward,
 * no update): the work of rnn4j's and PyTorch's training step.
 *
 * <p>Adapted from the project's DL4J measurements (shared/peers/dl4j/RnnBench.java, 2026-11-27):
 * the MultiLayerNetwork variant is gone (no GRU there, and slower than SameDiff on every shape),
 * shapes come from the command line, and results go to a CSV for rnn4j's PeerReport.
 *
 * <p>Timing: System.nanoTime; --warmup seconds of calls, then --reps measurements of at least
 * --rep seconds each; per-call time = loop time / calls; median, min, max. A measurement during
 * which other processes used more than --quiet of the machine's CPU (/proc/stat minus
 * /proc/self/stat) is retaken up to --attempts times; the cleanest one is kept.
 */
public class RnnBench {

    static double warmupSec = 3.0;
    static double repSec = 1.0;
    static int reps = 5;
    static double quiet = 0.10;
    static int attempts = 3;

    public static void main(String[] args) throws IOException {
        Locale.setDefault(Locale.ROOT);
        List<String> cells = List.of("lstm", "gru");
        List<String> shapes = List.of("1x50x32x64", "32x50x64x128", "64x100x128x256", "64x100x512x512");
        List<String> modes = List.of("infer", "train");
        Path csv = null;
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[a] + " needs a value");
            }
            String v = args[a + 1];
            switch (args[a]) {
                case "--cells" -> cells = Arrays.asList(v.split(","));
                case "--shapes" -> shapes = Arrays.asList(v.split(","));
                case "--modes" -> modes = Arrays.asList(v.split(","));
                case "--warmup" -> warmupSec = Double.parseDouble(v);
                case "--rep" -> repSec = Double.parseDouble(v);
                case "--reps" -> reps = Integer.parseInt(v);
                case "--quiet" -> quiet = Double.parseDouble(v);
                case "--attempts" -> attempts = Integer.parseInt(v);
                case "--csv" -> csv = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[a]
                        + "; known: --cells --shapes --modes --warmup --rep --reps --quiet --attempts --csv");
            }
        }
        if (csv == null) {
            throw new IllegalArgumentException("--csv FILE is required");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(42);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("# java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            out.println("# nd4j backend: " + Nd4j.getBackend().getClass().getSimpleName() + ", libnd4j "
                    + org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().replace('\n', ' '));
            for (String e : new String[] {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "SD_MAX_THREADS", "SD_MASTER_THREADS"}) {
                out.println("# " + e + ": " + System.getenv(e));
            }
            out.println("key,median_s,min_s,max_s,foreign_max,attempts");
            out.flush();
            for (String cell : cells) {
                for (String shape : shapes) {
                    SdRunner r = new SdRunner(cell, shape);
                    for (String mode : modes) {
                        double[] m = measure(r.op(mode));
                        String key = "rnn/" + shape + "/" + cell + "/" + mode;
                        System.out.printf("dl4j %-30s median %10.3f ms  [%.3f-%.3f]  other CPU %4.0f%%  attempts %d%n",
                                key, m[0] * 1e3, m[1] * 1e3, m[2] * 1e3, m[3] * 100, (int) m[4]);
                        out.printf("%s,%s,%s,%s,%s,%d%n", key, m[0], m[1], m[2], m[3], (int) m[4]);
                        out.flush();
                    }
                }
            }
        }
    }

    // ---- foreign load: CPU used by other processes, as a share of the machine ----------------------

    static long[] cpuSnap() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int k : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[k]);
            }
            String st = Files.readString(Path.of("/proc/self/stat"));
            String[] g = st.substring(st.lastIndexOf(')') + 2).trim().split(" ");
            long self = Long.parseLong(g[11]) + Long.parseLong(g[12]); // utime + stime
            return new long[] {busy, self, System.nanoTime()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Share of the machine's CPU (0..1) used by other processes between two snapshots; 0 if unknown. */
    static double foreign(long[] a, long[] b) {
        if (a == null || b == null) {
            return 0;
        }
        double sec = (b[2] - a[2]) / 1e9;
        double others = ((b[0] - a[0]) - (b[1] - a[1])) / 100.0; // USER_HZ
        return Math.max(0, others) / (sec * Runtime.getRuntime().availableProcessors());
    }

    /** {median s, min s, max s, worst foreign load of the kept measurements, most attempts}. */
    static double[] measure(Runnable op) {
        long wEnd = System.nanoTime() + (long) (warmupSec * 1e9);
        int wCalls = 0;
        do {
            op.run();
            wCalls++;
        } while (System.nanoTime() < wEnd || wCalls < 3);
        double[] per = new double[reps];
        double worst = 0;
        int most = 0;
        for (int r = 0; r < reps; r++) {
            double best = Double.NaN;
            double bestLoad = Double.POSITIVE_INFINITY;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                long[] c0 = cpuSnap();
                long t0 = System.nanoTime();
                long end = t0 + (long) (repSec * 1e9);
                long n = 0;
                long t1;
                do {
                    op.run();
                    n++;
                    t1 = System.nanoTime();
                } while (t1 < end);
                double load = foreign(c0, cpuSnap());
                if (load < bestLoad) {
                    best = (t1 - t0) / 1e9 / n;
                    bestLoad = load;
                }
                most = Math.max(most, attempt);
                if (load <= quiet) {
                    break;
                }
            }
            per[r] = best;
            worst = Math.max(worst, bestLoad);
        }
        double[] s = per.clone();
        Arrays.sort(s);
        return new double[] {s[s.length / 2], s[0], s[s.length - 1], worst, most};
    }

    /** SameDiff graph using libnd4j's fused recurrent ops, time-major [T, B, I]. */
    static final class SdRunner {
        final SameDiff sd = SameDiff.create();
        final String outName;
        final String[] params;
        final INDArray x;
        final Map<String, INDArray> ph = new HashMap<>();

        SdRunner(String cell, String shape) {
            int[] d = Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
            int b = d[0];
            int t = d[1];
            int i = d[2];
            int h = d[3];
            SDVariable in = sd.placeHolder("in", DataType.FLOAT, t, b, i);
            SDVariable out;
            switch (cell) {
                case "lstm" -> {
                    SDVariable w = sd.var("W", xavier(i, 4 * h));
                    SDVariable rw = sd.var("RW", xavier(h, 4 * h));
                    SDVariable bias = sd.var("b", Nd4j.zeros(DataType.FLOAT, 4 * h));
                    // retLastH/retLastC = true although unused: in 1.0.0-M2.1 the oneDNN lstmLayer
                    // fails ("object is not initialized") without them.
                    LSTMLayerConfig cfg = LSTMLayerConfig.builder()
                            .lstmdataformat(LSTMDataFormat.TNS)
                            .directionMode(LSTMDirectionMode.FWD)
                            .gateAct(LSTMActivations.SIGMOID)
                            .cellAct(LSTMActivations.TANH)
                            .outAct(LSTMActivations.TANH)
                            .retFullSequence(true).retLastH(true).retLastC(true)
                            .build();
                    out = sd.rnn().lstmLayer(in, LSTMLayerWeights.builder().weights(w).rWeights(rw).bias(bias).build(), cfg)[0];
                    params = new String[] {"W", "RW", "b", "in"};
                }
                case "gru" -> {
                    SDVariable wx = sd.var("Wx", xavier(i, 3 * h));
                    SDVariable wh = sd.var("Wh", xavier(h, 3 * h));
                    SDVariable bias = sd.var("b", Nd4j.zeros(DataType.FLOAT, 3 * h));
                    SDVariable h0 = sd.zero("h0", DataType.FLOAT, b, h);
                    out = sd.rnn().gru(in, h0, wx, wh, bias);
                    params = new String[] {"Wx", "Wh", "b", "in"};
                }
                default -> throw new IllegalArgumentException("SameDiff has no fused " + cell + " op; cells: lstm, gru");
            }
            outName = out.rename("out").name();
            SDVariable r = sd.constant("R", Nd4j.rand(DataType.FLOAT, t, b, h).subi(0.5));
            sd.sum("loss", out.mul(r));
            sd.setLossVariables("loss");
            x = Nd4j.rand(DataType.FLOAT, t, b, i).subi(0.5);
            ph.put("in", x);
        }

        static INDArray xavier(int fanIn, int fanOut) {
            return Nd4j.randn(DataType.FLOAT, fanIn, fanOut).muli(Math.sqrt(2.0 / (fanIn + fanOut)));
        }

        Runnable op(String mode) {
            Map<String, INDArray> inOnly = Map.of("in", x);
            // Results are closed at once: ND4J frees off-heap buffers only when their Java wrappers
            // are collected, and without close() the process grows by ~100 MB/s until JavaCPP's limit.
            return switch (mode) {
                case "infer" -> () -> sd.outputSingle(inOnly, outName).close();
                case "train" -> () -> sd.calculateGradients(ph, params).values().forEach(INDArray::close);
                default -> throw new IllegalArgumentException("mode " + mode + "; modes: infer, train");
            };
        }
    }
}
