package org.rnn4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine a benchmark runs on: its CPU, and how much of it other processes use. The machine
 * this project is measured on is shared, so every measurement records the CPU time that processes
 * other than the measuring one used meanwhile ("foreign load"), read from {@code /proc/stat} and
 * {@code /proc/self/stat} as the peers' scripts do; elsewhere it is unknown (NaN).
 */
final class Machine {

    /** Linux's USER_HZ: the unit of the tick counts in /proc; 100 on every mainstream kernel. */
    static final double TICKS_PER_SECOND = 100.0;

    /** The longest {@link #coreRoundTripNanos()} may take. */
    static final long ROUND_TRIP_BUDGET_MILLIS = 200;

    private Machine() {
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, else the architecture. */
    static String cpuModel() {
        return cpuInfo("model name").orElse(System.getProperty("os.arch"));
    }

    /** The model name with the family and model numbers that tell CPU generations apart, e.g. {@code AMD EPYC (family 26, model 2)}. */
    static String cpuDescription() {
        String family = cpuInfo("cpu family").map(f -> "family " + f).orElse(null);
        String model = cpuInfo("model").map(m -> "model " + m).orElse(null);
        return family == null || model == null ? cpuModel() : cpuModel() + " (" + family + ", " + model + ")";
    }

    /** Whether the CPU reports AVX-512 Foundation. */
    static boolean hasAvx512() {
        return cpuInfo("flags").map(f -> List.of(f.split(" ")).contains("avx512f")).orElse(false);
    }

    private static Optional<String> cpuInfo(String key) {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(info)) {
            return lines.filter(l -> l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).trim().equals(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The one-minute load average, or NaN where the OS does not report it. */
    static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /**
     * CPU counters at one instant, in ticks.
     *
     * @param busy  ticks every CPU spent busy (user, nice, system, irq, softirq)
     * @param steal ticks the hypervisor gave to other guests
     * @param own   ticks this process used, all threads
     * @param nanos {@link System#nanoTime()}
     */
    record Snapshot(long busy, long steal, long own, long nanos) {
    }

    /** The counters now, or null where {@code /proc} is not readable. */
    static Snapshot snapshot() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(cpu[field]);
            }
            long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
            long own = cpuTicks(Path.of("/proc/self/stat"));
            return new Snapshot(busy, steal, own, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The user and system ticks in a process's or thread's {@code stat} file ({@code /proc/self/stat},
     * {@code /proc/self/task/N/stat}).
     */
    static long cpuTicks(Path stat) throws IOException {
        String line = Files.readString(stat);
        // Fields after the command name, which may contain spaces: utime and stime are the 12th and 13th.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The share of the machine's CPU capacity that other processes (and the hypervisor's steal)
     * used between two snapshots of this process: 0 = quiet, 1 = every core busy; NaN if unknown.
     */
    static double foreignLoad(Snapshot from, Snapshot to) {
        if (from == null || to == null) {
            return Double.NaN;
        }
        double seconds = Math.max((to.nanos - from.nanos) / 1e9, 1e-9);
        double others = (to.busy - from.busy) - (to.own - from.own) + (to.steal - from.steal);
        return Math.max(0, others / TICKS_PER_SECOND) / (Runtime.getRuntime().availableProcessors() * seconds);
    }

    /**
     * Waits until a one-second window shows a foreign load below {@code threshold}, for at most
     * {@code maxWaitSeconds}; not at all when that is 0.
     *
     * @return the foreign load of the last window (NaN where unknown, which ends the wait at once; NaN when not waiting)
     */
    static double waitQuiet(double threshold, double maxWaitSeconds) throws InterruptedException {
        if (maxWaitSeconds <= 0) {
            return Double.NaN;
        }
        long deadline = System.nanoTime() + (long) (maxWaitSeconds * 1e9);
        while (true) {
            Snapshot from = snapshot();
            Thread.sleep(1000);
            double load = foreignLoad(from, snapshot());
            if (!(load >= threshold) || System.nanoTime() >= deadline) {
                return load;
            }
        }
    }

    /**
     * The median time, in nanoseconds, of one cache line's round trip between the calling thread
     * and a fresh thread, which with two processors and nothing else running lands on the other
     * one: each writes a shared counter the other spins on. On this project's two-vCPU machine it
     * reads 45-170 ns while the hypervisor keeps the vCPUs on nearby cores and 330-550 ns while it
     * keeps them far apart, and two-thread steps at small shapes run up to 1.6 times slower then
     * (bench/README.md). Takes a few milliseconds; gives up after {@value #ROUND_TRIP_BUDGET_MILLIS}
     * ms (two spinning threads on one busy processor hand over only when the scheduler switches
     * them). NaN with one processor, when interrupted, or when no burst finished in time.
     */
    static double coreRoundTripNanos() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        int bursts = 5;
        int rounds = 4000;
        AtomicInteger turn = new AtomicInteger();
        Thread other = Thread.ofPlatform().daemon().name("rnn4j-round-trip").start(() -> {
            for (int i = 0; i < bursts * rounds; i++) {
                int seen;
                while ((seen = turn.get()) != 2 * i + 1) {
                    if (seen < 0) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                // Fails only when the caller gave up meanwhile (set -1), which a plain write would undo.
                if (!turn.compareAndSet(2 * i + 1, 2 * i + 2)) {
                    return;
                }
            }
        });
        long deadline = System.nanoTime() + ROUND_TRIP_BUDGET_MILLIS * 1_000_000L;
        double[] perTrip = new double[bursts];
        int done = 0;
        timed:
        for (int burst = 0; burst < bursts; burst++) {
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                int i = burst * rounds + r;
                turn.set(2 * i + 1);
                // The clock is read only after many spins: a round trip takes a few dozen.
                for (int spins = 1; turn.get() != 2 * i + 2; spins++) {
                    if (spins % 4096 == 0 && System.nanoTime() - deadline > 0) {
                        break timed;
                    }
                    Thread.onSpinWait();
                }
            }
            perTrip[done++] = (System.nanoTime() - start) / (double) rounds;
        }
        turn.set(-1);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
        if (done == 0) {
            return Double.NaN;
        }
        Arrays.sort(perTrip, 0, done);
        return perTrip[done / 2];
    }
}
