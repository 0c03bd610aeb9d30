package org.rnn4j.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rnn4j.core.kernel.Kernels;

/**
 * {@code ./rnn4j bench peers}: rnn4j against PyTorch, OpenBLAS and (optionally) DL4J SameDiff in
 * one run on one machine, plus rnn4j's scaling curves. Writes {@code peers.md}, CSV files and PNG
 * charts into the output folder and prints the tables. See bench/README.md for the method.
 */
public final class PeerReport {

    private static final List<String> CELLS = List.of("lstm", "gru", "rnn");
    private static final List<String> SHAPES = List.of("1x50x32x64", "32x50x64x128", "64x100x128x256", "64x100x512x512");
    private static final List<String> MODES = List.of("inference", "training");
    private static final int[] GEMM_SIZES = {64, 128, 256, 512, 1024, 2048};
    private static final String RNN4J = "rnn4j";
    private static final String TORCH = "PyTorch";
    private static final String OPENBLAS = "OpenBLAS";
    private static final String DL4J = "DL4J SameDiff";
    private static final List<String> PEERS = List.of(TORCH, OPENBLAS, DL4J);
    /** The cells SameDiff has fused ops for. */
    private static final List<String> DL4J_CELLS = List.of("lstm", "gru");

    /** B, S, T, E, H, V of {@link Seq2SeqBenchmark}, for PyTorch's twin of it. */
    private static final String SEQ2SEQ = "32,20,20,64,128,64";

    /** Shapes (B x T x I x H) of {@link TrainingStepBenchmark}, the full training step of issue 5. */
    private static final List<String> TRAINING_STEP_SHAPES = List.of("32x50x64x128", "64x100x128x256");

    /** The scaling sweeps' base shape (B, T, I, H); each sweep varies one of them. */
    private static final int[] BASE = {32, 100, 64, 128};

    /**
     * The options.
     *
     * @param quick    short smoke run: fewer rows, short iterations, no retries
     * @param out      output folder
     * @param threads  threads of rnn4j, PyTorch, OpenBLAS and DL4J
     * @param dl4j     whether to run the DL4J peer (first use: ~120 MB of ND4J, ~450 MB of native libraries unpacked)
     * @param python   the Python with torch
     * @param quiet    foreign load above which a measurement is retried
     * @param maxWait  seconds to wait for a quiet machine before each measurement
     * @param attempts most measurements of one row
     * @param deadline minutes after which nothing waits or retries
     */
    private record Options(boolean quick, Path out, int threads, boolean dl4j, String python, double quiet,
                           double maxWait, int attempts, double deadline) {

        static Options parse(String[] args) {
            boolean quick = List.of(args).contains("--quick");
            Path out = Path.of("bench/target/peers");
            int threads = 2;
            boolean dl4j = false;
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            double quiet = 0.10;
            double maxWait = quick ? 0 : 30;
            int attempts = quick ? 1 : 3;
            double deadline = 90;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> { }
                    case "--dl4j" -> dl4j = true;
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--python" -> python = value(args, ++i, a);
                    case "--quiet" -> quiet = Double.parseDouble(value(args, ++i, a));
                    case "--max-wait" -> maxWait = Double.parseDouble(value(args, ++i, a));
                    case "--attempts" -> attempts = Integer.parseInt(value(args, ++i, a));
                    case "--deadline" -> deadline = Double.parseDouble(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (threads < 1 || attempts < 1) {
                throw new IllegalArgumentException("--threads and --attempts must be >= 1\n" + USAGE);
            }
            return new Options(quick, out, threads, dl4j, python, quiet, maxWait, attempts, deadline);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return args[i];
        }
    }

    private static final String USAGE = """
            usage: ./rnn4j bench peers [--quick] [--dl4j] [--out DIR] [--threads N] [--python PATH]
                                       [--quiet SHARE] [--max-wait S] [--attempts N] [--deadline MIN]
              --quick      smoke run of every section: fewer rows, short iterations (a few minutes)
              --dl4j       also run DL4J SameDiff (bench/peers/dl4j; first use downloads ~120 MB, unpacks ~450 MB)
              --out        output folder (default bench/target/peers)
              --threads    threads for every implementation (default 2)
              --quiet      retry a measurement during which other processes used more than this share
                           of the machine's CPU (default 0.10)
              --max-wait   seconds to wait for a quiet machine before each measurement (default 30, quick 0)
              --attempts   most measurements of one row (default 3, quick 1)
              --deadline   minutes after which nothing waits or retries (default 90)""";

    /** One row of the comparison: what is measured, and the key the peers' CSVs use for it; cell and shape only for layer rows. */
    private record Row(String label, String peerKey, String cell, String shape, String mode) {
        boolean gemm() {
            return peerKey.startsWith("gemm/");
        }

        boolean layer() {
            return peerKey.startsWith("rnn/");
        }
    }

    private final Options options;
    private final Jmh jmh;
    private final Optional<Path> openBlasPath;
    private boolean openBlasLoads;
    private final List<String> environment = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Row, Map<String, Sample>> results = new LinkedHashMap<>();
    private double peakGflops = Double.NaN;
    /** {@link System#nanoTime} after which nothing waits for a quiet machine or retries. */
    private final long deadline;
    /** Why PyTorch cannot run (empty when it can), or null before the first PyTorch row. */
    private String torchMissing;
    /** Peers whose last call failed, and those dropped for the rest of the run after two failures in a row. */
    private final Set<String> failedLast = new HashSet<>();
    private final Set<String> droppedPeers = new HashSet<>();
    /** The thread counts of the multi-core rows, empty when they are skipped. */
    private TreeSet<Integer> threadCounts = new TreeSet<>();
    /** Training rows by thread count. */
    private final Map<Row, Map<Integer, Sample>> threadRows = new LinkedHashMap<>();
    /**
     * The peak beside each largest-shape row: the higher of the peaks measured just before and
     * just after that cell's two rows. The machine's speed drifts within a run of half an hour
     * (10-30% seen here), so a peak from the run's start would misjudge rows measured later; and
     * interference only ever lowers a peak measurement (one of them once read 218 against 400
     * GFLOP/s), so the higher one is the honest denominator, not the mean.
     */
    private final Map<Row, NearbyPeak> nearbyPeak = new LinkedHashMap<>();

    /** The FMA peaks in GFLOP/s measured just before and just after a cell's largest-shape rows. */
    private record NearbyPeak(double before, double after) {
        double value() {
            return Math.max(before, after);
        }
    }

    private PeerReport(Options options) throws IOException {
        this.options = options;
        this.openBlasPath = OpenBlas.locate();
        Files.createDirectories(options.out);
        // The forks log only warnings: rnn4j's one-line INFO about its kernels would repeat for every row.
        Path logging = options.out.resolve("logging.properties");
        Files.writeString(logging, "handlers = java.util.logging.ConsoleHandler\n.level = WARNING\n");
        List<String> jvmArgs = new ArrayList<>(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + logging.toAbsolutePath()));
        openBlasPath.ifPresent(p -> jvmArgs.add("-D" + OpenBlas.PATH_PROPERTY + "=" + p));
        Jmh.Settings settings = options.quick
                ? new Jmh.Settings(2, 3, TimeValue.milliseconds(200))
                : new Jmh.Settings(5, 5, TimeValue.seconds(1));
        this.deadline = System.nanoTime() + (long) (options.deadline * 60e9);
        this.jmh = new Jmh(settings, new Jmh.Hygiene(options.quiet, options.maxWait, options.attempts, deadline),
                jvmArgs, options.out.resolve("jmh.log"));
        for (String peer : List.of(TORCH, DL4J)) {
            Files.deleteIfExists(raw(peer));
            Files.deleteIfExists(part(peer));
        }
    }

    /**
     * Entry point of {@code ./rnn4j bench peers}.
     *
     * @param args the options in {@link #USAGE}
     */
    public static void main(String[] args) throws Exception {
        Options options;
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench peers: " + e.getMessage());
            System.exit(2);
            return;
        }
        // The memory probe runs in this JVM: it uses the same thread count as the forks.
        System.setProperty("rnn4j.threads", Integer.toString(options.threads));
        new PeerReport(options).run();
    }

    private void run() throws Exception {
        double loadAtStart = Machine.loadAverage();
        describeMachine(loadAtStart);
        environment.forEach(l -> System.out.println("  " + l));
        List<String> shapes = options.quick ? SHAPES.subList(0, 2) : SHAPES;
        int[] gemmSizes = options.quick ? new int[] {64, 256, 1024} : GEMM_SIZES;

        Sample peak = jmh.measure(PeakBenchmark.class, "fma", Map.of(), options.threads);
        peakGflops = PeakBenchmark.flops(options.threads) / peak.median() / 1e9;
        environment.add(String.format(Locale.ROOT, "FMA peak measured in this run (PeakBenchmark: 16 independent vector FMA"
                + " chains per thread, registers only, %d threads): %.0f GFLOP/s [%.0f-%.0f]", options.threads, peakGflops,
                PeakBenchmark.flops(options.threads) / peak.max() / 1e9, PeakBenchmark.flops(options.threads) / peak.min() / 1e9));
        threadCounts = threadCounts();
        measureRows(shapes, gemmSizes);
        nearbyPeak.forEach((row, beside) -> {
            if (row.mode().equals(MODES.getFirst())) {
                environment.add(String.format(Locale.ROOT, "FMA peak beside the %s %s rows: %.0f GFLOP/s (the higher of"
                        + " %.0f just before and %.0f just after)", row.cell().toUpperCase(Locale.ROOT), row.shape(),
                        beside.value(), beside.before(), beside.after()));
            }
        });
        if (!options.dl4j) {
            notes.add("DL4J SameDiff not run (off by default: its first use downloads ~120 MB and unpacks ~450 MB of native libraries; add --dl4j).");
        }
        Map<String, List<Sample>> sweeps = measureSweeps();
        List<MemoryProbe.Point> memory = MemoryProbe.run("lstm", BASE[0], BASE[2], BASE[3],
                options.quick ? new int[] {50, 500} : new int[] {50, 500, 5000}, options.quick ? 1 : 5);
        BenchmarkParams fork = jmh.firstParams();
        environment.add("JMH forks, one per row: " + fork.getJvm() + " " + fork.getJvmArgs().stream()
                .filter(a -> !a.startsWith("-Drnn4j.threads=")).collect(Collectors.joining(" ")) + " -Drnn4j.threads=N (JDK "
                + fork.getJdkVersion() + ", " + fork.getVmName() + " " + fork.getVmVersion() + "); " + fork.getWarmup().getCount()
                + " warm-up and " + fork.getMeasurement().getCount() + " measured iterations of " + fork.getMeasurement().getTime());
        long noisy = results.values().stream().filter(m -> m.values().stream().anyMatch(x -> x.noisy(options.quiet))).count();
        if (noisy > 0) {
            notes.add(String.format(Locale.ROOT, "%d of %d rows were measured while other processes, or rnn4j's own compiler,"
                    + " used more than %.0f%% of the CPU (marked !): their times and ratios say more about the machine than about"
                    + " the code.",
                    noisy, results.size(), options.quiet * 100));
        }
        long far = results.values().stream().map(m -> m.get(RNN4J))
                .filter(x -> x != null && x.coreRoundTrip() > CoreRoundTripProfiler.FAR_NANOS).count();
        if (far > 0) {
            notes.add(String.format(Locale.ROOT, "%d of %d rows were measured while the cores were far apart (a cache line's"
                    + " round trip over %.0f ns, marked far): in earlier runs on this project's VM, two-thread steps at the"
                    + " smaller shapes ran up to 1.6x slower that way (bench/README.md).",
                    far, results.size(), CoreRoundTripProfiler.FAR_NANOS));
        }
        environment.add(String.format(Locale.ROOT, "Load average: %.2f at the start, %.2f at the end", loadAtStart, Machine.loadAverage()));
        write(sweeps, memory);
    }

    // ---- environment ------------------------------------------------------------------------------

    private void describeMachine(double load) {
        environment.add("Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + (options.quick ? " (--quick: smoke run, short iterations)" : ""));
        environment.add("CPU: " + Machine.cpuDescription() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors" + (Machine.hasAvx512() ? ", AVX-512" : ""));
        environment.add("JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        environment.add("Report JVM: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "; GC "
                + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "))
                + "; max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        String vector;
        try {
            vector = Kernels.vector(1).vectorBitSize() + "-bit";
        } catch (UnsupportedOperationException e) {
            vector = "unavailable (" + e.getMessage() + ")";
        }
        environment.add("rnn4j: kernels " + Kernels.get().name() + ", vectors " + vector + ", " + options.threads + " threads (-Drnn4j.threads)");
        environment.add("Threads: " + options.threads + " for every implementation (PyTorch set_num_threads, OpenBLAS"
                + " openblas_set_num_threads, DL4J OpenMP/OpenBLAS with libnd4j's own pool at 1)");
        if (openBlasPath.isPresent()) {
            try {
                environment.add("OpenBLAS: " + OpenBlas.load(openBlasPath.get(), options.threads).describe()
                        + "; OPENBLAS_CORETYPE=" + Optional.ofNullable(System.getenv("OPENBLAS_CORETYPE")).orElse("(unset)"));
                openBlasLoads = true;
            } catch (RuntimeException e) {
                notes.add("OpenBLAS at " + openBlasPath.get() + " could not be loaded (" + e.getMessage() + "): GEMM peer skipped.");
            }
        } else {
            notes.add("OpenBLAS: no libopenblas found (ldconfig -p, /usr/lib*, /usr/local/lib, /opt): GEMM peer skipped."
                    + " Install it (Debian: apt-get install libopenblas0-openmp) or name it with RNN4J_OPENBLAS=PATH.");
        }
        environment.add(String.format(Locale.ROOT, "Shared-machine rules: a row during which other processes, or its own"
                + " JVM's compiler, used more than %.0f%% of the CPU is measured again (up to %d times in all, each after"
                + " waiting up to %.0f s for a quiet machine)",
                options.quiet * 100, options.attempts, options.maxWait));
        if (Machine.snapshot() == null) {
            notes.add("No /proc/stat here: the CPU other processes used was not measured (shown as 0).");
        }
        if (load >= 1.5) {
            notes.add(String.format(Locale.ROOT, "The load average was %.2f at the start (>= 1.5): the machine was busy.", load));
        }
    }

    // ---- measurements -----------------------------------------------------------------------------

    /**
     * Every comparison row, each peer measured right after rnn4j on the same rows (GEMM sizes; each
     * cell and shape; the model steps), so that a ratio compares times taken a minute or so apart,
     * not half a run apart: the machine's speed drifts within a run. The other thread counts of a
     * training row follow its peers, beside the row they are compared with.
     */
    private void measureRows(List<String> shapes, int[] gemmSizes) throws RunnerException, InterruptedException {
        for (int n : gemmSizes) {
            Row row = new Row("GEMM " + n, "gemm/" + n, null, null, "-");
            Map<String, String> params = Map.of("size", Integer.toString(n));
            put(row, RNN4J, jmh.measure(GemmPeerBenchmark.class, "rnn4j", params, options.threads));
            if (openBlasLoads) {
                put(row, OPENBLAS, jmh.measure(GemmPeerBenchmark.class, "openblas", params, options.threads));
            }
        }
        measureTorch("GEMM", List.of("--sections", "gemm",
                "--gemm-sizes", Arrays.stream(gemmSizes).mapToObj(Integer::toString).collect(Collectors.joining(","))));
        for (String cell : CELLS) {
            for (String shape : shapes) {
                boolean largest = shape.equals(SHAPES.getLast());
                double before = largest ? measurePeak() : Double.NaN;
                for (String mode : MODES) {
                    put(cellRow(cell, shape, mode), RNN4J, jmh.measure(CellBenchmark.class, mode,
                            Map.of("cell", cell, "shape", shape), options.threads));
                }
                if (largest) {
                    NearbyPeak peak = new NearbyPeak(before, measurePeak());
                    for (String mode : MODES) {
                        nearbyPeak.put(cellRow(cell, shape, mode), peak);
                    }
                }
                measureTorch(cell + " " + shape, List.of("--sections", "rnn", "--shapes", shape, "--cells", cell));
                if (options.dl4j && DL4J_CELLS.contains(cell)) {
                    measureDl4j(cell + " " + shape, List.of("--shapes", shape, "--cells", cell));
                }
                measureThreads(cell, shape);
            }
        }
        put(new Row("Seq2seq training (B 32, S = T = 20, E 64, H 128, V 64, Luong)", "seq2seq/train", null, null, "training"),
                RNN4J, jmh.measure(Seq2SeqBenchmark.class, "trainingStep", Map.of(), options.threads));
        for (String shape : TRAINING_STEP_SHAPES) {
            put(trainingStepRow(shape), RNN4J, jmh.measure(TrainingStepBenchmark.class, "step", Map.of("shape", shape),
                    options.threads));
        }
        measureTorch("the model steps", List.of("--sections", "seq2seq,trainstep", "--seq2seq", SEQ2SEQ,
                "--trainstep-shapes", String.join(",", TRAINING_STEP_SHAPES)));
    }

    /** The FMA peak in GFLOP/s, measured now. */
    private double measurePeak() throws RunnerException, InterruptedException {
        return PeakBenchmark.flops(options.threads) / jmh.measure(PeakBenchmark.class, "fma", Map.of(), options.threads)
                .median() / 1e9;
    }

    /** The peak a row is judged against: the one measured beside it, else the run's first. */
    private double peakFor(Row row) {
        NearbyPeak nearby = nearbyPeak.get(row);
        return nearby != null ? nearby.value() : peakGflops;
    }

    private static Row trainingStepRow(String shape) {
        return new Row("LSTM model step " + shape + " (forward, MSE, backward, clip-norm, Adam)", "trainstep/" + shape,
                null, shape, "training");
    }

    private static Row cellRow(String cell, String shape, String mode) {
        return new Row(cell.toUpperCase(Locale.ROOT) + " " + shape + " " + mode,
                "rnn/" + shape + "/" + cell + "/" + (mode.equals("inference") ? "infer" : "train"), cell, shape, mode);
    }

    private void put(Row row, String implementation, Sample sample) {
        results.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(implementation, sample);
    }

    /** Options every peer program takes: the shared-machine rules (one attempt once the deadline has passed). */
    private List<String> peerArgs() {
        int attempts = System.nanoTime() - deadline > 0 ? 1 : options.attempts;
        return List.of("--quiet", Double.toString(options.quiet), "--attempts", Integer.toString(attempts));
    }

    /** Runs PyTorch's script on some of the rows ({@code rows}: its section options); {@code what} names them in notes. */
    private void measureTorch(String what, List<String> rows) throws InterruptedException {
        if (torchMissing == null) {
            torchMissing = torchMissing();
            if (!torchMissing.isEmpty()) {
                notes.add("PyTorch skipped: " + torchMissing + ". Install Debian's python3-torch (./rnn4j bench peers does when"
                        + " run as root with apt-get available) or pass --python PATH.");
            }
        }
        if (!torchMissing.isEmpty()) {
            return;
        }
        double secondsLeft = Math.max(0, (deadline - System.nanoTime()) / 1e9);
        List<String> command = new ArrayList<>(List.of(options.python, "bench/peers/torch/bench_torch.py", "--threads",
                Integer.toString(options.threads), "--max-wait", Double.toString(options.maxWait),
                "--deadline", String.format(Locale.ROOT, "%.0f", secondsLeft), "--csv", part(TORCH).toString()));
        command.addAll(peerArgs());
        command.addAll(rows);
        if (options.quick) {
            command.addAll(List.of("--warmup", "0.2", "--min-time", "0.2", "--repeats", "3"));
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", Integer.toString(options.threads));
        // glibc's malloc otherwise returns and re-maps PyTorch's large buffers: after any earlier workload in
        // the process, LSTM inference at 64x100x128x256 then takes 115 ms instead of 35 (jemalloc or
        // tcmalloc, PyTorch's usual CPU tuning, have the same effect as these two thresholds).
        env.put("MALLOC_MMAP_THRESHOLD_", "1000000000");
        env.put("MALLOC_TRIM_THRESHOLD_", "1000000000");
        // torch calls sgemm_ from whatever libblas.so.3 the loader finds: the OpenBLAS measured here, when it ships one.
        openBlasPath.map(Path::getParent).filter(d -> Files.exists(d.resolve("libblas.so.3"))).ifPresent(d ->
                env.put("LD_LIBRARY_PATH", d + Optional.ofNullable(System.getenv("LD_LIBRARY_PATH")).map(p -> ":" + p).orElse("")));
        readPeer(TORCH, what, command, env);
    }

    /** Why PyTorch cannot run here, or empty when {@code import torch} works. */
    private String torchMissing() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(options.python, "-c", "import torch").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() == 0) {
                return "";
            }
            return options.python + " cannot import torch (" + out.substring(out.lastIndexOf('\n') + 1) + ")";
        } catch (IOException e) {
            return options.python + " does not run (" + e.getMessage() + ")";
        }
    }

    /** Runs the DL4J peer on some of the rows ({@code rows}: its options); {@code what} names them in notes. */
    private void measureDl4j(String what, List<String> rows) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("bench/peers/dl4j/run.sh", "--csv", part(DL4J).toAbsolutePath().toString()));
        command.addAll(peerArgs());
        command.addAll(rows);
        if (options.quick) {
            command.addAll(List.of("--warmup", "1", "--rep", "0.3", "--reps", "3"));
        }
        readPeer(DL4J, what, command, Map.of("THREADS", Integer.toString(options.threads)));
    }

    /** Where a peer's program writes the CSV of one call, before it is appended to {@link #raw}. */
    private Path part(String peer) {
        return options.out.resolve(raw(peer).getFileName() + ".part");
    }

    /** Every row a peer measured in this run, as its program wrote them. */
    private Path raw(String peer) {
        return options.out.resolve(peer.equals(TORCH) ? "torch-raw.csv" : "dl4j-raw.csv");
    }

    /**
     * Runs a peer's program and files its samples under the rows already measured for rnn4j. A
     * peer that fails on two calls in a row is not run again in this run: such failures (a missing
     * download, a broken install) repeat on every row, while one row's (memory at a large shape)
     * need not.
     */
    private void readPeer(String peer, String what, List<String> command, Map<String, String> env) throws InterruptedException {
        if (droppedPeers.contains(peer)) {
            return;
        }
        try {
            PeerProcess p = PeerProcess.run(peer, command, env, part(peer));
            // The peer's first successful call describes it; later calls add only their rows.
            boolean first = !Files.exists(raw(peer));
            if (first) {
                environment.add(peer + ": " + String.join("; ", p.environment()));
            }
            for (Row row : results.keySet()) {
                Sample s = p.samples().get(row.peerKey());
                if (s != null) {
                    put(row, peer, s);
                }
            }
            List<String> lines = Files.readAllLines(part(peer));
            Files.write(raw(peer), first ? lines
                    : lines.stream().filter(l -> !l.startsWith("# ") && !l.startsWith("key,")).toList(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.delete(part(peer));
            failedLast.remove(peer);
        } catch (IOException e) {
            boolean again = !failedLast.add(peer);
            if (again) {
                droppedPeers.add(peer);
            }
            notes.add(peer + " failed on the " + what + " rows" + (again ? " (the second failure in a row: not run again)" : "")
                    + ": " + e.getMessage());
            try {
                Files.deleteIfExists(part(peer));
            } catch (IOException ignored) {
                // the note above says what went wrong; a stray part file is only clutter
            }
        }
    }

    /** LSTM training step as T, H and B grow from {@link #BASE}, by sweep name. */
    private Map<String, List<Sample>> measureSweeps() throws RunnerException, InterruptedException {
        Map<String, Sample> byShape = new LinkedHashMap<>();
        Map<String, List<Sample>> sweeps = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> sweep : sweepPoints().entrySet()) {
            List<Sample> samples = new ArrayList<>();
            for (int x : sweep.getValue()) {
                String shape = sweepShape(sweep.getKey(), x);
                Sample s = byShape.get(shape);
                if (s == null) {
                    s = jmh.measure(CellBenchmark.class, "training", Map.of("cell", "lstm", "shape", shape), options.threads);
                    byShape.put(shape, s);
                }
                samples.add(s);
            }
            sweeps.put(sweep.getKey(), samples);
        }
        return sweeps;
    }

    private Map<String, int[]> sweepPoints() {
        Map<String, int[]> points = new LinkedHashMap<>();
        points.put("T", options.quick ? new int[] {50, 500} : new int[] {50, 200, 1000, 5000});
        points.put("H", options.quick ? new int[] {64, 256} : new int[] {64, 128, 256, 512, 1024});
        points.put("B", options.quick ? new int[] {1, 32} : new int[] {1, 8, 32, 128, 256});
        return points;
    }

    private static String sweepShape(String variable, int x) {
        int[] d = BASE.clone();
        d["BTIH".indexOf(variable)] = x;
        return d[0] + "x" + d[1] + "x" + d[2] + "x" + d[3];
    }

    /** 1, 2, 4, ... threads up to the processors, and the run's count; empty on one processor. */
    private TreeSet<Integer> threadCounts() {
        TreeSet<Integer> counts = new TreeSet<>();
        for (int t = 1; t <= Runtime.getRuntime().availableProcessors(); t *= 2) {
            counts.add(t);
        }
        counts.add(options.threads);
        if (counts.size() < 2) {
            notes.add("Multi-core scaling skipped: one processor.");
            counts.clear();
        }
        return counts;
    }

    /** A training row on the other thread counts, the run's own count taken from the comparison table. */
    private void measureThreads(String cell, String shape) throws RunnerException, InterruptedException {
        if (threadCounts.isEmpty() || options.quick && !cell.equals("lstm")) {
            return;
        }
        Row row = cellRow(cell, shape, "training");
        Map<Integer, Sample> byThreads = new LinkedHashMap<>();
        for (int t : threadCounts) {
            byThreads.put(t, t == options.threads ? results.get(row).get(RNN4J)
                    : jmh.measure(CellBenchmark.class, "training", Map.of("cell", cell, "shape", shape), t));
        }
        threadRows.put(row, byThreads);
    }

    // ---- report -----------------------------------------------------------------------------------

    private void write(Map<String, List<Sample>> sweeps, List<MemoryProbe.Point> memory) throws IOException {
        Path out = options.out;
        StringBuilder md = new StringBuilder("# rnn4j side by side\n\n");
        environment.forEach(l -> md.append("- ").append(l).append('\n'));
        notes.forEach(l -> md.append("- **Note:** ").append(l).append('\n'));

        List<String> peers = PEERS.stream().filter(p -> results.values().stream().anyMatch(m -> m.containsKey(p))).toList();
        Table table = comparisonTable(peers);
        md.append("\n## rnn4j against its peers\n\nEach peer ran right after rnn4j's rows of the same cell and shape (of"
                + " the GEMM sizes, of the model steps), so that a ratio compares times taken minutes apart at most."
                + " Median ms per call [min-max] over the measurements; x = peer time /"
                + " rnn4j time (above 1: rnn4j faster); \"% of peak\": rnn4j's model GFLOP/s (GEMM 2n^3; layers: matrix"
                + " products only, training three times the forward pass) over the FMA peak measured above (largest-shape rows: over the peak measured beside them); \"other CPU\": the largest share of the machine other processes"
                + " used during a measurement of the row; \"rnn4j JIT\": the largest share of it rnn4j's own JVM spent"
                + " compiling during a measurement (shares above the threshold are marked !); \"rnn4j cores\": the longest"
                + " round trip of a cache line between two threads after a measurement, marked far above "
                + (int) CoreRoundTripProfiler.FAR_NANOS + " ns, when the two-thread rows at small shapes run slower"
                + " (see bench/README.md).\n\n")
                .append(table.markdown()).append("\n![ratios](peers.png)\n\n");
        md.append("## Targets of issues 7 and 5\n\n");
        if (options.quick) {
            // 0.4 s of warm-up leaves the Vector API code uncompiled (it allocates and runs its Java
            // fallback until C2 compiles it): rnn4j's layer rows then time the fallback, not rnn4j.
            md.append("**--quick**: the warm-up is too short for C2 to compile the Vector API code, so rnn4j's layer")
                    .append(" rows time its uncompiled fallback and these verdicts are not results; run without --quick.\n\n");
        }
        md.append(targets()).append('\n');
        Files.writeString(out.resolve("peers.csv"), comparisonCsv().csv());
        ratioChart(out.resolve("peers.png"), peers);

        md.append("## Scaling: LSTM training step\n\nBase shape (B, T, I, H) = (").append(BASE[0]).append(", ").append(BASE[1])
                .append(", ").append(BASE[2]).append(", ").append(BASE[3]).append("), one variable at a time, ")
                .append(options.threads).append(" threads; the charts add the line a time proportional to the model"
                        + " FLOPs would follow from the first point.\n\n");
        Table scalingCsv = new Table("variable", "value", "shape", "median_ms", "min_ms", "max_ms", "gflops", "other_cpu");
        for (Map.Entry<String, int[]> sweep : sweepPoints().entrySet()) {
            String v = sweep.getKey();
            int[] xs = sweep.getValue();
            List<Sample> samples = sweeps.get(v);
            Table t = new Table(v, "shape", "ms per step", "GFLOP/s", "other CPU");
            double[][] measured = new double[2][xs.length];
            double[][] proportional = new double[2][xs.length];
            double flops0 = 3 * CellReport.flops("lstm", sweepShape(v, xs[0]));
            for (int k = 0; k < xs.length; k++) {
                String shape = sweepShape(v, xs[k]);
                Sample s = samples.get(k);
                double flops = 3 * CellReport.flops("lstm", shape);
                t.add(xs[k], shape, ms(s), fmt(flops / s.median() / 1e9), cpu(s));
                scalingCsv.add(v, xs[k], shape, s.median() * 1e3, s.min() * 1e3, s.max() * 1e3, flops / s.median() / 1e9, s.foreign());
                measured[0][k] = xs[k];
                measured[1][k] = s.median() * 1e3;
                proportional[0][k] = xs[k];
                proportional[1][k] = samples.getFirst().median() * 1e3 * flops / flops0;
            }
            String file = "scaling-" + v.toLowerCase(Locale.ROOT) + ".png";
            Map<String, double[][]> lines = new LinkedHashMap<>();
            lines.put("rnn4j", measured);
            lines.put("proportional to FLOPs", proportional);
            Charts.lines(out.resolve(file), "LSTM training step as " + v + " grows", v, "ms per step (log)", lines, true, true);
            md.append("### ").append(v).append("\n\n").append(t.markdown()).append("\n![").append(v).append("](").append(file).append(")\n\n");
        }
        Files.writeString(out.resolve("scaling.csv"), scalingCsv.csv());

        md.append("## Memory as T grows\n\nLSTM, B = ").append(BASE[0]).append(", I = ").append(BASE[2]).append(", H = ")
                .append(BASE[3]).append(". Peak: heap above the level a full GC leaves before the call first runs"
                        + " (sum of the heap pools' peaks, so what the layer keeps between calls, such as the work buffers"
                        + " training reuses, counts, and so does garbage not yet collected: an upper bound); allocated:"
                        + " bytes the call allocated on all threads. Streaming feeds one step at a time from a reused input.\n\n");
        Table mem = new Table("T", "training peak MB", "training allocated MB", "whole-sequence inference peak MB",
                "inference allocated MB", "streaming peak MB", "streaming allocated MB");
        Table memCsv = new Table("steps", "training_peak_bytes", "training_allocated_bytes", "inference_peak_bytes",
                "inference_allocated_bytes", "streaming_peak_bytes", "streaming_allocated_bytes");
        Map<String, double[][]> memSeries = new LinkedHashMap<>();
        for (int c = 0; c < MemoryProbe.CALLS.size(); c++) {
            int call = c;
            memSeries.put(MemoryProbe.CALLS.get(c) + " (peak)", new double[][] {
                    memory.stream().mapToDouble(MemoryProbe.Point::steps).toArray(),
                    memory.stream().mapToDouble(p -> p.peakBytes()[call] / 1e6).toArray()});
        }
        for (MemoryProbe.Point p : memory) {
            long[] pk = p.peakBytes();
            long[] al = p.allocatedBytes();
            mem.add(p.steps(), mb(pk[0]), mb(al[0]), mb(pk[1]), mb(al[1]), mb(pk[2]), mb(al[2]));
            memCsv.add(p.steps(), pk[0], al[0], pk[1], al[1], pk[2], al[2]);
        }
        md.append(mem.markdown()).append("\n![memory](memory.png)\n\n");
        Files.writeString(out.resolve("memory.csv"), memCsv.csv());
        Charts.lines(out.resolve("memory.png"), "LSTM heap per call as T grows (B " + BASE[0] + ", H " + BASE[3] + ")", "T (log)",
                "peak heap above baseline, MB", memSeries, true, false);

        if (!threadRows.isEmpty()) {
            List<Integer> counts = List.copyOf(threadRows.values().iterator().next().keySet());
            List<String> headers = new ArrayList<>(List.of("training step"));
            counts.forEach(t -> headers.add(t + " thread" + (t == 1 ? "" : "s") + " ms"));
            counts.stream().skip(1).forEach(t -> headers.add("speed-up " + t + "T"));
            Table t = new Table(headers.toArray(String[]::new));
            Table csv = new Table("row", "threads", "median_ms", "min_ms", "max_ms", "speedup", "other_cpu", "core_rtt_ns");
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            List<String> labels = new ArrayList<>();
            threadRows.forEach((row, byThreads) -> {
                List<Object> cells = new ArrayList<>(List.of(row.label()));
                double one = byThreads.get(counts.getFirst()).median();
                counts.forEach(n -> cells.add(ms(byThreads.get(n))));
                counts.stream().skip(1).forEach(n -> {
                    cells.add(fmt(one / byThreads.get(n).median()) + "x");
                    bars.computeIfAbsent(n + " threads", k -> new ArrayList<>()).add(one / byThreads.get(n).median());
                });
                byThreads.forEach((n, s) -> csv.add(row.label(), n, s.median() * 1e3, s.min() * 1e3, s.max() * 1e3,
                        one / s.median(), s.foreign(), orBlank(s.coreRoundTrip())));
                t.add(cells.toArray());
                labels.add(row.label().replace(" training", ""));
            });
            md.append("## Multi-core scaling: training step\n\nSpeed-up = time on one thread / time on n threads.\n\n")
                    .append(t.markdown()).append("\n![threads](threads.png)\n");
            Files.writeString(out.resolve("threads.csv"), csv.csv());
            Charts.categories(out.resolve("threads.png"), "Training step speed-up over one thread", "speed-up", labels, bars,
                    "ideal (" + counts.getLast() + " threads)", counts.getLast(), false);
        }
        Files.writeString(out.resolve("peers.md"), md);
        System.out.println();
        System.out.println(md);
        System.out.println("Written: " + out.resolve("peers.md") + " (with peers.csv, scaling.csv, memory.csv, threads.csv and PNG charts)");
    }

    private Table comparisonTable(List<String> peers) {
        List<String> headers = new ArrayList<>(List.of("row", "rnn4j ms", "rnn4j % of peak"));
        for (String p : peers) {
            headers.add(p + " ms");
            headers.add("x " + p);
        }
        headers.add("x fastest peer");
        headers.add("other CPU");
        headers.add("rnn4j JIT");
        headers.add("rnn4j cores");
        Table t = new Table(headers.toArray(String[]::new));
        results.forEach((row, byImpl) -> {
            Sample ours = byImpl.get(RNN4J);
            double share = row.gemm() ? 2 * Math.pow(gemmSize(row), 3) / ours.median() / 1e9 / peakGflops
                    : row.layer() ? gflops(row) / peakFor(row) : Double.NaN;
            List<Object> cells = new ArrayList<>(List.of(row.label(), ms(ours), fmt(share * 100)));
            for (String p : peers) {
                Sample s = byImpl.get(p);
                cells.add(s == null ? "-" : ms(s));
                cells.add(s == null ? "-" : ratio(s, ours));
            }
            cells.add(fastestPeer(byImpl).map(s -> ratio(s, ours)).orElse("-"));
            cells.add(marked(byImpl.values().stream().mapToDouble(Sample::foreign).max().orElse(0)));
            cells.add(marked(ours.jit()));
            cells.add(distance(ours.coreRoundTrip()));
            t.add(cells.toArray());
        });
        return t;
    }

    /** A cache-line round trip between the cores in ns, marked {@code far} above {@link CoreRoundTripProfiler#FAR_NANOS}. */
    private static String distance(double nanos) {
        return Double.isNaN(nanos) ? "-" : String.format(Locale.ROOT, "%.0f ns%s", nanos,
                nanos > CoreRoundTripProfiler.FAR_NANOS ? " far" : "");
    }

    /** A share of the machine as a percentage, marked {@code !} above the quiet threshold. */
    private String marked(double share) {
        return String.format(Locale.ROOT, "%.0f%%%s", share * 100, share > options.quiet ? " !" : "");
    }

    private Table comparisonCsv() {
        Table t = new Table("row", "implementation", "median_ms", "min_ms", "max_ms", "other_cpu", "jit", "gc", "core_rtt_ns",
                "attempts", "peer_over_rnn4j");
        results.forEach((row, byImpl) -> byImpl.forEach((impl, s) -> t.add(row.label(), impl, s.median() * 1e3, s.min() * 1e3,
                s.max() * 1e3, s.foreign(), orBlank(s.jit()), orBlank(s.gc()), orBlank(s.coreRoundTrip()), s.attempts(),
                impl.equals(RNN4J) ? "" : s.median() / byImpl.get(RNN4J).median())));
        return t;
    }

    /** A measured value, or an empty CSV cell where it was not measured (NaN). */
    private static Object orBlank(double value) {
        return Double.isNaN(value) ? "" : value;
    }

    private static Optional<Sample> fastestPeer(Map<String, Sample> byImpl) {
        return byImpl.entrySet().stream().filter(e -> !e.getKey().equals(RNN4J)).map(Map.Entry::getValue)
                .min((a, b) -> Double.compare(a.median(), b.median()));
    }

    private void ratioChart(Path file, List<String> peers) throws IOException {
        List<String> labels = new ArrayList<>();
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        peers.forEach(p -> bars.put("x " + p, new ArrayList<>()));
        results.forEach((row, byImpl) -> {
            labels.add(row.label().replace("inference", "inf").replace("training", "train"));
            peers.forEach(p -> bars.get("x " + p).add(Optional.ofNullable(byImpl.get(p))
                    .map(s -> s.median() / byImpl.get(RNN4J).median()).orElse(Double.NaN)));
        });
        Charts.categories(file, "Peer time / rnn4j time (above 1: rnn4j faster)", "ratio (log)", labels, bars, "parity", 1, true);
    }

    /** The targets, each met or missed, with the ratios behind the verdict. */
    private String targets() {
        StringBuilder s = new StringBuilder();
        Function<Row, Map<String, Sample>> of = results::get;
        List<Row> rows = List.copyOf(results.keySet());
        target(s, "GEMM at N >= 512 at least 0.9x OpenBLAS", rows.stream()
                .filter(r -> r.gemm() && gemmSize(r) >= 512), r -> ratio(of.apply(r), OPENBLAS), 0.9);
        target(s, "every LSTM/GRU/RNN row at least 1.0x the fastest peer", rows.stream().filter(Row::layer),
                r -> fastestPeer(of.apply(r)).map(p -> p.median() / of.apply(r).get(RNN4J).median()).orElse(Double.NaN), 1.0);
        target(s, "training rows at the two smaller shapes at least 2x the fastest peer", rows.stream()
                .filter(r -> r.layer() && r.mode().equals("training") && SHAPES.indexOf(r.shape()) < 2),
                r -> fastestPeer(of.apply(r)).map(p -> p.median() / of.apply(r).get(RNN4J).median()).orElse(Double.NaN), 2.0);
        target(s, "issue 5: the full LSTM model training step at least PyTorch's speed", rows.stream()
                .filter(r -> r.peerKey().startsWith("trainstep/")), r -> ratio(of.apply(r), TORCH), 1.0);
        target(s, "rows with B = 1 at least 2x PyTorch", rows.stream().filter(r -> r.layer() && r.shape().startsWith("1x")),
                r -> ratio(of.apply(r), TORCH), 2.0);
        target(s, "the largest shape at least 70% of the FMA peak (model GFLOP/s over the peak measured beside the"
                + " row: the higher of the peaks just before and after each cell's two rows, listed above)", rows.stream()
                .filter(r -> r.layer() && r.shape().equals(SHAPES.getLast())), r -> gflops(r) / peakFor(r), 0.7);
        return s.toString();
    }

    private static int gemmSize(Row r) {
        return Integer.parseInt(r.peerKey().substring("gemm/".length()));
    }

    private double gflops(Row r) {
        double flops = CellReport.flops(r.cell(), r.shape()) * (r.mode().equals("training") ? 3 : 1);
        return flops / results.get(r).get(RNN4J).median() / 1e9;
    }

    private static double ratio(Map<String, Sample> byImpl, String peer) {
        Sample p = byImpl.get(peer);
        return p == null ? Double.NaN : p.median() / byImpl.get(RNN4J).median();
    }

    private static void target(StringBuilder s, String name, java.util.stream.Stream<Row> rows,
                               java.util.function.ToDoubleFunction<Row> value, double threshold) {
        Map<Row, Double> values = new LinkedHashMap<>();
        rows.forEach(r -> values.put(r, value.applyAsDouble(r)));
        values.values().removeIf(v -> v.isNaN());
        s.append("- ").append(name).append(": ");
        if (values.isEmpty()) {
            s.append("not measured in this run\n");
            return;
        }
        Map.Entry<Row, Double> lowest = values.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
        List<String> missed = values.entrySet().stream().filter(e -> e.getValue() < threshold)
                .map(e -> e.getKey().label() + " " + fmt(e.getValue())).toList();
        if (missed.isEmpty()) {
            s.append("**met** (").append(values.size()).append(" rows, lowest ").append(lowest.getKey().label()).append(' ')
                    .append(fmt(lowest.getValue())).append(")\n");
        } else {
            s.append("**missed** by ").append(missed.size()).append(" of ").append(values.size()).append(" rows (")
                    .append(String.join("; ", missed)).append(")\n");
        }
    }

    // ---- formatting -------------------------------------------------------------------------------

    private static String ms(Sample s) {
        return s == null ? "-" : fmt(s.median() * 1e3) + " [" + fmt(s.min() * 1e3) + "-" + fmt(s.max() * 1e3) + "]";
    }

    private static String ratio(Sample peer, Sample ours) {
        return fmt(peer.median() / ours.median()) + "x";
    }

    private static String cpu(Sample s) {
        return String.format(Locale.ROOT, "%.0f%%", s.foreign() * 100);
    }

    private static String mb(long bytes) {
        return fmt(bytes / 1e6);
    }

    /** Three significant digits, no exponent. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static {
        // Charts are drawn off screen.
        System.setProperty("java.awt.headless", "true");
    }
}
