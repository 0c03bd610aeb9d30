package org.rnn4j.core.internal.vector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.core.parallel.WorkerPool;

/**
 * Matrix products on the Vector API, in the style of BLIS: for large products A is packed into
 * {@value #MR}-row panels and B into panels two vectors wide, blocked so a packed A block stays in
 * L2 while B micro-panels stream past it, and a register-blocked micro-kernel keeps a
 * {@value #MR} x 2-vector tile of C in 16 FMA accumulators. Products with few rows of C skip the
 * packing, which they could not amortize, and stream B directly.
 *
 * <p>Every element of C gets its operations in an order fixed by the shape alone (tiles, depth
 * blocks and their sequence do not depend on the thread count or on which thread computes a tile),
 * so results are bit-identical for any number of threads. Packing buffers belong to the thread (a
 * {@link ThreadLocal}), grow on demand and are reused: a product allocates only a few small objects
 * per hand-off to the worker pool.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int L = S.length();

    /** Rows of the micro-kernel's C tile. */
    static final int MR = 8;
    /**
     * Vectors of at most MR lanes: packing a transposed A copies MR contiguous floats per column, and
     * {@link #transpose} turns MR rows of MR floats into MR columns.
     */
    private static final VectorSpecies<Float> PACK = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.min(S.vectorBitSize(), MR * Float.SIZE)));
    /** Columns of the micro-kernel's C tile: two vectors. */
    static final int NR = 2 * L;
    /** Rows of a packed A block: 32 x 1024 floats (128 KiB) stay in L2 while B micro-panels stream past. */
    static final int MC = 4 * MR;
    /**
     * Depth of a packed block. Deep blocks mean few passes over C (each pass reads and writes all of
     * C, which at large sizes lives in L3): measured here, 1024 beat 256 by 10-20% at N >= 1024 and
     * on the weight-gradient shapes, and tied at N = 512, on a 48 KiB L1 and 1 MiB L2.
     */
    static final int KC = 1024;
    /** Columns of a packed B block, a multiple of NR: bounds the packing buffer (KC x NC floats, 4 MiB). */
    static final int NC = Math.max(NR, 1024 / NR * NR);
    /** Products with at most this many rows of C and B not transposed stream B unpacked. */
    static final int DIRECT_MAX_ROWS = 8;
    /** Columns of the direct kernel's C tile: four vectors. */
    private static final int DIRECT_COLS = 4 * L;
    /**
     * Lane indices of {@link #transpose}'s three stages, {@code (lo, hi)} per stage, as floats for
     * {@code selectFrom}; empty when vectors are narrower than MR (the scalar loop does it all).
     */
    private static final float[] TRANSPOSE_INDEX = transposeIndex();
    /** Row blocks of A per thread from which a split product claims them ({@link #shared}) instead of a static split. */
    static final int SHARED_MIN_BLOCKS_PER_THREAD = 4;
    /**
     * Flops (2mnk) from which a split product claims its row blocks: smaller products take under
     * two tenths of a millisecond, of which the extra hand-off (B packed by all threads) would be a
     * few percent, and there is little imbalance to recover.
     */
    static final long SHARED_MIN_FLOPS = 1L << 26;
    /** Below this many flops (2mnk) a product runs on one thread: a hand-off costs a few microseconds. */
    static final long PARALLEL_MIN_FLOPS = 1L << 22;

    /** Pools by thread count, so constructing kernels repeatedly does not start threads repeatedly. */
    private static final ConcurrentHashMap<Integer, WorkerPool> POOLS = new ConcurrentHashMap<>();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int threads;
    private final WorkerPool pool;

    VectorGemm(int threads) {
        this.threads = threads;
        this.pool = threads == 1 ? null : POOLS.computeIfAbsent(threads,
                t -> t == WorkerPool.defaultThreads() ? WorkerPool.shared() : WorkerPool.create(t));
    }

    int threads() {
        return threads;
    }

    /**
     * Runs the tasks on this product's pool (see {@code Kernels.parallel}); in order on the caller
     * without one. Products inside a task run whole on the task's thread: the pool is busy with the
     * tasks, so splitting them would only repeat the packing of A per share.
     */
    void parallel(int tasks, java.util.function.IntConsumer task) {
        if (pool == null || tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        pool.run(tasks, i -> {
            Scratch s = SCRATCH.get();
            boolean outer = s.inTask;
            s.inTask = true;
            try {
                task.accept(i);
            } finally {
                s.inTask = outer;
            }
        });
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scaleOnly(m, n, alpha, beta, c, cOff, ldc);
            return;
        }
        // The direct path depends on the shape only; the packed paths (one thread, static split,
        // claimed blocks) all give each element the same sums: results are bit-identical.
        boolean direct = !transB && m <= DIRECT_MAX_ROWS;
        long flops = 2L * m * n * k;
        int parts = pool == null || flops < PARALLEL_MIN_FLOPS || SCRATCH.get().inTask ? 1 : threads;
        boolean byColumns = direct || n >= m;
        int unit = direct ? DIRECT_COLS : byColumns ? NR : MR;
        int extent = byColumns ? n : m;
        int units = (extent + unit - 1) / unit;
        parts = Math.min(parts, units);
        if (parts <= 1) {
            block(direct, transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (!direct && flops >= SHARED_MIN_FLOPS && (m + MC - 1) / MC >= SHARED_MIN_BLOCKS_PER_THREAD * parts) {
            shared(parts, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int shares = parts;
        pool.run(shares, t -> {
            int lo = (int) ((long) units * t / shares) * unit;
            int hi = Math.min(extent, (int) ((long) units * (t + 1) / shares) * unit);
            if (byColumns) {
                block(direct, transA, transB, 0, m, lo, hi, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                block(direct, transA, transB, lo, hi, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    /**
     * {@code op(B)} prepared for the packed path as NR-wide panels per KC-deep block
     * ({@code panels[pc / KC]}, panel of columns {@code [j, j + NR)} at offset {@code j * kc}), and,
     * on first use, row-major for the direct few-row path ({@link #plain()}): products of more rows
     * never need that copy, and building it with every packing cost as much as the panels.
     */
    static final class Packed implements org.rnn4j.core.kernel.Kernels.PackedMatrix {
        final int k;
        final int n;
        final float[][] panels;
        /** Built from the panels when first asked for; two threads may both build it, with the same values. */
        private volatile float[] rowMajor;

        Packed(int k, int n, float[][] panels) {
            this.k = k;
            this.n = n;
            this.panels = panels;
        }

        @Override
        public int rows() {
            return k;
        }

        @Override
        public int cols() {
            return n;
        }

        /** {@code op(B)} row-major, {@code k x n}. */
        float[] plain() {
            float[] copy = rowMajor;
            if (copy == null) {
                copy = new float[k * n];
                for (int blk = 0; blk < panels.length; blk++) {
                    int pc = blk * KC;
                    int kc = Math.min(KC, k - pc);
                    float[] bp = panels[blk];
                    for (int jr = 0; jr < n; jr += NR) {
                        int cols = Math.min(NR, n - jr);
                        for (int p = 0; p < kc; p++) {
                            System.arraycopy(bp, jr * kc + p * NR, copy, (pc + p) * n + jr, cols);
                        }
                    }
                }
                rowMajor = copy;
            }
            return copy;
        }
    }

    static Packed pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        int blocks = (k + KC - 1) / KC;
        float[][] panels = new float[blocks][];
        int width = roundUp(Math.max(n, 1), NR);
        for (int blk = 0; blk < blocks; blk++) {
            int pc = blk * KC;
            int kc = Math.min(KC, k - pc);
            panels[blk] = new float[kc * width];
            packB(transB, b, bOff, ldb, pc, kc, 0, n, panels[blk], 0);
        }
        return new Packed(k, n, panels);
    }

    /** {@code C = alpha * op(A) * B + beta * C} with a prepared B; partitioned like {@link #gemm}. */
    void gemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, Packed b,
              float beta, float[] c, int cOff, int ldc) {
        int n = b.n;
        int k = b.k;
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scaleOnly(m, n, alpha, beta, c, cOff, ldc);
            return;
        }
        boolean direct = m <= DIRECT_MAX_ROWS;
        long flops = 2L * m * n * k;
        int parts = pool == null || flops < PARALLEL_MIN_FLOPS || SCRATCH.get().inTask ? 1 : threads;
        boolean byColumns = direct || n >= m;
        int unit = direct ? DIRECT_COLS : byColumns ? NR : MR;
        int extent = byColumns ? n : m;
        int units = (extent + unit - 1) / unit;
        parts = Math.min(parts, units);
        if (parts <= 1) {
            prepared(direct, transA, 0, m, 0, n, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
            return;
        }
        if (direct) {
            b.plain(); // built once here rather than by every share
        }
        int shares = parts;
        pool.run(shares, t -> {
            int lo = (int) ((long) units * t / shares) * unit;
            int hi = Math.min(extent, (int) ((long) units * (t + 1) / shares) * unit);
            if (byColumns) {
                prepared(direct, transA, 0, m, lo, hi, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
            } else {
                prepared(direct, transA, lo, hi, 0, n, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
            }
        });
    }

    /** {@code C[i0:i1, j0:j1]} of a product with a prepared B, on the calling thread. */
    private static void prepared(boolean direct, boolean transA, int i0, int i1, int j0, int j1, float alpha,
                                 float[] a, int aOff, int lda, Packed b, float beta, float[] c, int cOff, int ldc) {
        int k = b.k;
        int aSub = aOff + (transA ? i0 : i0 * lda);
        if (direct) {
            direct(i1 - i0, j1 - j0, k, alpha, a, aSub, transA ? 1 : lda, transA ? lda : 1,
                    b.plain(), j0, b.n, beta, c, cOff + i0 * ldc + j0, ldc);
            return;
        }
        int m = i1 - i0;
        Scratch s = SCRATCH.get();
        float[] ap = s.packedA(Math.min(KC, k) * Math.min(MC, roundUp(m, MR)));
        // Column blocks start at multiples of NC from column 0, and j0 is a multiple of NR, so every
        // panel is addressed as in the one-thread case: bit-identical results for any partition.
        for (int jc = j0; jc < j1; jc = (jc / NC + 1) * NC) {
            int nc = Math.min((jc / NC + 1) * NC, j1) - jc;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                float[] bp = b.panels[pc / KC];
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aSub, lda, ic, mc, pc, kc, ap);
                    blockTimesPanels(kc, mc, nc, ap, bp, jc * kc, c, cOff + (i0 + ic) * ldc + jc, ldc, alpha, beta,
                            first, s.tile);
                }
            }
        }
    }

    void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda,
              float[] x, int xOff, float beta, float[] y, int yOff) {
        if (transA) {
            // y = A^T x is the one-row product x^T A: the few-row path streams the rows of A, scaled
            // by x, and splits the columns over the threads when A is large (bias gradients over
            // every step of a sequence).
            gemm(false, false, 1, n, m, alpha, x, xOff, m, a, aOff, lda, beta, y, yOff, n);
        } else if (m > 0) {
            rowDots(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        }
    }

    /**
     * The packed path on {@code parts} threads with each B block packed once, by all of them, and
     * shared; the MC-row blocks of A are claimed: each thread works through a contiguous range of
     * them and then helps with the others' ranges. A is packed once per column block, as on one
     * thread (a static split by columns packs all of it per share), and a thread slowed by anything
     * else on its core ends up with fewer blocks instead of holding up the product. The depth
     * blocks run one after another, so every element gets the sums of the one-thread case.
     */
    private void shared(int parts, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                        int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int nBlock = Math.min(NC, roundUp(n, NR));
        float[] bp = SCRATCH.get().packedB(Math.min(KC, k) * nBlock);
        int rowBlocks = (m + MC - 1) / MC;
        // Contiguous ranges: blocks handed out one at a time, alternating between the cores, ran
        // 10% slower (each core's prefetched rows were the other core's next block).
        AtomicInteger[] cursor = new AtomicInteger[parts];
        for (int t = 0; t < parts; t++) {
            cursor[t] = new AtomicInteger();
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            int packers = Math.min(parts, panels);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                int j0 = jc;
                int p0 = pc;
                pool.run(packers, t -> {
                    int q0 = panels * t / packers;
                    int q1 = panels * (t + 1) / packers;
                    packB(transB, b, bOff, ldb, p0, kc, j0 + q0 * NR, Math.min(nc, q1 * NR) - q0 * NR, bp, q0 * NR * kc);
                });
                for (int t = 0; t < parts; t++) {
                    cursor[t].set(rowBlocks * t / parts);
                }
                pool.run(parts, own -> {
                    Scratch s = SCRATCH.get();
                    float[] ap = s.packedA(kc * MC);
                    for (int r = 0; r < parts; r++) {
                        int range = (own + r) % parts;
                        int end = rowBlocks * (range + 1) / parts;
                        for (int blk; (blk = cursor[range].getAndIncrement()) < end; ) {
                            int ic = blk * MC;
                            int mc = Math.min(MC, m - ic);
                            packA(transA, a, aOff, lda, ic, mc, p0, kc, ap);
                            blockTimesPanels(kc, mc, nc, ap, bp, 0, c, cOff + ic * ldc + j0, ldc, alpha, beta, first,
                                    s.tile);
                        }
                    }
                });
            }
        }
    }

    /** Computes the sub-block {@code C[i0:i1, j0:j1]} of the product on the calling thread. */
    private static void block(boolean direct, boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        int aSub = aOff + (transA ? i0 : i0 * lda);
        int bSub = bOff + (transB ? j0 * ldb : j0);
        int cSub = cOff + i0 * ldc + j0;
        if (direct) {
            direct(i1 - i0, j1 - j0, k, alpha, a, aSub, transA ? 1 : lda, transA ? lda : 1,
                    b, bSub, ldb, beta, c, cSub, ldc);
        } else {
            packed(transA, transB, i1 - i0, j1 - j0, k, alpha, a, aSub, lda, b, bSub, ldb, beta, c, cSub, ldc);
        }
    }

    /** {@code C = beta * C} for an empty inner dimension, mirroring the scalar twin. */
    private static void scaleOnly(int m, int n, float alpha, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, idx = cOff + i * ldc; j < n; j++, idx++) {
                float prior = beta == 0f ? 0f : beta * c[idx];
                c[idx] = alpha * 0f + prior;
            }
        }
    }

    // ---- packed path --------------------------------------------------------------------------

    private static void packed(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        int nBlock = Math.min(NC, roundUp(n, NR));
        float[] bp = s.packedB(Math.min(KC, k) * nBlock);
        float[] ap = s.packedA(Math.min(KC, k) * Math.min(MC, roundUp(m, MR)));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            // k blocks start at multiples of KC whatever the partition: the same sums for every thread count.
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    blockTimesPanels(kc, mc, nc, ap, bp, 0, c, cOff + ic * ldc + jc, ldc, alpha, beta, first, s.tile);
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc:pc+kc, jc:jc+nc]} as NR-wide panels from {@code bp[bpOff]} on, each
     * {@code kc} rows of NR contiguous floats; columns past {@code nc} are zero so the micro-kernel
     * needs no column edge case.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp,
                              int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int dst = bpOff + jr * kc;
            if (!transB) {
                int src = bOff + pc * ldb + jc + jr;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    }
                } else {
                    VectorMask<Float> m0 = S.indexInRange(0, cols);
                    VectorMask<Float> m1 = S.indexInRange(L, cols);
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        FloatVector.fromArray(S, b, src, m0).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L, m1).intoArray(bp, dst + L);
                    }
                }
            } else {
                // B is stored n x k: each column of op(B) is a contiguous row; MR of them at a time
                // are transposed into the panel, the rest written one by one (zeros past nc).
                int j = 0;
                for (; j + MR <= cols; j += MR) {
                    transpose(b, bOff + (jc + jr + j) * ldb + pc, ldb, kc, bp, dst + j, NR);
                }
                for (; j < NR; j++) {
                    if (j < cols) {
                        int src = bOff + (jc + jr + j) * ldb + pc;
                        for (int p = 0, d = dst + j; p < kc; p++, d += NR) {
                            bp[d] = b[src + p];
                        }
                    } else {
                        for (int p = 0, d = dst + j; p < kc; p++, d += NR) {
                            bp[d] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(A)[ic:ic+mc, pc:pc+kc]} as MR-row panels, each {@code kc} columns of MR
     * contiguous floats; rows past {@code mc} are zero so the micro-kernel needs no row edge case.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        if (transA && mc % MR == 0) {
            // A is stored k x m: row p holds the mc values of column p of op(A) for every panel. Read
            // each row once, contiguously, and deal it out to the panels, rather than walking all kc
            // rows (a page apart in the weight gradients) once per panel: 2-5% on those products.
            int src = aOff + pc * lda + ic;
            for (int p = 0; p < kc; p++, src += lda) {
                for (int ir = 0, dst = p * MR; ir < mc; ir += MR, dst += MR * kc) {
                    for (int q = 0; q < MR; q += PACK.length()) {
                        FloatVector.fromArray(PACK, a, src + ir + q).intoArray(ap, dst + q);
                    }
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (transA && rows == MR) {
                // A is stored k x m: the MR values of one column of op(A) are contiguous, a vector copy.
                int src = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int q = 0; q < MR; q += PACK.length()) {
                        FloatVector.fromArray(PACK, a, src + q).intoArray(ap, dst + q);
                    }
                }
            } else if (transA) {
                int src = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int r = 0; r < MR; r++) {
                        ap[dst + r] = r < rows ? a[src + r] : 0f;
                    }
                }
            } else if (rows == MR) {
                transpose(a, aOff + (ic + ir) * lda + pc, lda, kc, ap, dst, MR);
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int src = aOff + (ic + ir + r) * lda + pc;
                        for (int p = 0, d = dst + r; p < kc; p++, d += MR) {
                            ap[d] = a[src + p];
                        }
                    } else {
                        for (int p = 0, d = dst + r; p < kc; p++, d += MR) {
                            ap[d] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code out[dst + c * outStride + r] = a[src + r * lda + c]} for the MR rows {@code r} and
     * {@code cols} columns {@code c}: the transposing copy every packing of a row-major operand
     * needs. Blocks of MR x MR go through registers when {@link #PACK} vectors have MR lanes: three
     * stages of two-vector {@code selectFrom}, stage {@code s} pairing the rows that differ in bit
     * {@code s} and swapping that bit of the row with the same bit of the column, so that each
     * output vector is one column; 2-4x faster than the scalar loop, which does the rest.
     */
    private static void transpose(float[] a, int src, int lda, int cols, float[] out, int dst, int outStride) {
        int whole = 0;
        if (TRANSPOSE_INDEX.length > 0) {
            FloatVector lo0 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, 0);
            FloatVector hi0 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, MR);
            FloatVector lo1 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, 2 * MR);
            FloatVector hi1 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, 3 * MR);
            FloatVector lo2 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, 4 * MR);
            FloatVector hi2 = FloatVector.fromArray(PACK, TRANSPOSE_INDEX, 5 * MR);
            whole = cols & -MR;
            for (int c = 0; c < whole; c += MR) {
                int s0 = src + c;
                FloatVector v0 = FloatVector.fromArray(PACK, a, s0);
                FloatVector v1 = FloatVector.fromArray(PACK, a, s0 + lda);
                FloatVector v2 = FloatVector.fromArray(PACK, a, s0 + 2 * lda);
                FloatVector v3 = FloatVector.fromArray(PACK, a, s0 + 3 * lda);
                FloatVector v4 = FloatVector.fromArray(PACK, a, s0 + 4 * lda);
                FloatVector v5 = FloatVector.fromArray(PACK, a, s0 + 5 * lda);
                FloatVector v6 = FloatVector.fromArray(PACK, a, s0 + 6 * lda);
                FloatVector v7 = FloatVector.fromArray(PACK, a, s0 + 7 * lda);
                FloatVector w0 = lo0.selectFrom(v0, v1);
                FloatVector w1 = hi0.selectFrom(v0, v1);
                FloatVector w2 = lo0.selectFrom(v2, v3);
                FloatVector w3 = hi0.selectFrom(v2, v3);
                FloatVector w4 = lo0.selectFrom(v4, v5);
                FloatVector w5 = hi0.selectFrom(v4, v5);
                FloatVector w6 = lo0.selectFrom(v6, v7);
                FloatVector w7 = hi0.selectFrom(v6, v7);
                v0 = lo1.selectFrom(w0, w2);
                v2 = hi1.selectFrom(w0, w2);
                v1 = lo1.selectFrom(w1, w3);
                v3 = hi1.selectFrom(w1, w3);
                v4 = lo1.selectFrom(w4, w6);
                v6 = hi1.selectFrom(w4, w6);
                v5 = lo1.selectFrom(w5, w7);
                v7 = hi1.selectFrom(w5, w7);
                int d = dst + c * outStride;
                lo2.selectFrom(v0, v4).intoArray(out, d);
                lo2.selectFrom(v1, v5).intoArray(out, d + outStride);
                lo2.selectFrom(v2, v6).intoArray(out, d + 2 * outStride);
                lo2.selectFrom(v3, v7).intoArray(out, d + 3 * outStride);
                hi2.selectFrom(v0, v4).intoArray(out, d + 4 * outStride);
                hi2.selectFrom(v1, v5).intoArray(out, d + 5 * outStride);
                hi2.selectFrom(v2, v6).intoArray(out, d + 6 * outStride);
                hi2.selectFrom(v3, v7).intoArray(out, d + 7 * outStride);
            }
        }
        for (int r = 0; r < MR; r++) {
            for (int c = whole, i = src + r * lda + whole, o = dst + whole * outStride + r; c < cols;
                 c++, i++, o += outStride) {
                out[o] = a[i];
            }
        }
    }

    /**
     * One packed block of A ({@code mc} rows) times the {@code nc} columns of packed B panels from
     * {@code bp[bBase]} on, into C from {@code c[cBase]}: every tile through {@link #microKernel}.
     */
    private static void blockTimesPanels(int kc, int mc, int nc, float[] ap, float[] bp, int bBase, float[] c,
                                         int cBase, int ldc, float alpha, float beta, boolean first, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                microKernel(kc, ap, ir * kc, bp, bBase + jr * kc, c, cBase + ir * ldc + jr, ldc, rows, cols, alpha,
                        beta, first, tile);
            }
        }
    }

    /**
     * {@code C[tile] = alpha * Ap * Bp + (first ? beta * C : C)} for one MR x NR tile, accumulating
     * {@code kc} rank-1 updates in 16 vector registers. Partial tiles go through {@code tile} and
     * the same fused operations done on scalars, so an element's value does not depend on its tile.
     */
    private static void microKernel(int kc, float[] ap, int aBase, float[] bp, int bBase, float[] c, int ci, int ldc,
                                    int rows, int cols, float alpha, float beta, boolean first, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0; p < kc; p++) {
            // Indices linear in p let C2 hoist the bounds checks out of the loop.
            int bi = bBase + p * NR;
            int ai = aBase + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (rows == MR && cols == NR && alpha == 1f && (!first || beta == 0f || beta == 1f)) {
            // The usual case, a whole tile with alpha 1 and beta 0 or 1, goes straight to C: acc,
            // or acc + C, the values the general path below computes for these scalars.
            if (first && beta == 0f) {
                c00.intoArray(c, ci);
                c01.intoArray(c, ci + L);
                c10.intoArray(c, ci + ldc);
                c11.intoArray(c, ci + ldc + L);
                c20.intoArray(c, ci + 2 * ldc);
                c21.intoArray(c, ci + 2 * ldc + L);
                c30.intoArray(c, ci + 3 * ldc);
                c31.intoArray(c, ci + 3 * ldc + L);
                c40.intoArray(c, ci + 4 * ldc);
                c41.intoArray(c, ci + 4 * ldc + L);
                c50.intoArray(c, ci + 5 * ldc);
                c51.intoArray(c, ci + 5 * ldc + L);
                c60.intoArray(c, ci + 6 * ldc);
                c61.intoArray(c, ci + 6 * ldc + L);
                c70.intoArray(c, ci + 7 * ldc);
                c71.intoArray(c, ci + 7 * ldc + L);
            } else {
                c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
                c01.add(FloatVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
                c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
                c11.add(FloatVector.fromArray(S, c, ci + ldc + L)).intoArray(c, ci + ldc + L);
                c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
                c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L)).intoArray(c, ci + 2 * ldc + L);
                c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
                c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L)).intoArray(c, ci + 3 * ldc + L);
                c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
                c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L)).intoArray(c, ci + 4 * ldc + L);
                c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
                c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L)).intoArray(c, ci + 5 * ldc + L);
                c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
                c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L)).intoArray(c, ci + 6 * ldc + L);
                c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
                c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L)).intoArray(c, ci + 7 * ldc + L);
            }
            return;
        }
        // Otherwise the accumulators go through the tile so that no vector crosses a method
        // boundary: a call C2 declines to inline would box them and run the Java fallback.
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        storeTile(tile, NR, c, ci, ldc, rows, cols, alpha, beta, first);
    }

    /**
     * Combines a tile of accumulated products ({@code rows x cols}, row stride {@code stride}) into
     * C with {@link #combine}'s fused operations, a vector at a time where a whole vector fits, so an
     * element's value does not depend on its tile or path.
     */
    private static void storeTile(float[] tile, int stride, float[] c, int ci, int ldc, int rows, int cols,
                                  float alpha, float beta, boolean first) {
        FloatVector alphaV = FloatVector.broadcast(S, alpha);
        FloatVector betaV = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            int t = r * stride;
            int idx = ci + r * ldc;
            int j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector acc = FloatVector.fromArray(S, tile, t + j);
                if (!first) {
                    acc.fma(alphaV, FloatVector.fromArray(S, c, idx + j)).intoArray(c, idx + j);
                } else if (beta == 0f) {
                    acc.mul(alphaV).intoArray(c, idx + j);
                } else {
                    FloatVector.fromArray(S, c, idx + j).fma(betaV, acc.mul(alphaV)).intoArray(c, idx + j);
                }
            }
            for (; j < cols; j++) {
                c[idx + j] = combine(tile[t + j], c, idx + j, alpha, beta, first);
            }
        }
    }

    /**
     * The new value of {@code c[idx]} given the accumulated product {@code acc}: on the first k block
     * {@code alpha*acc + beta*c} (C unread when beta is 0), on later blocks {@code alpha*acc + c}.
     */
    private static float combine(float acc, float[] c, int idx, float alpha, float beta, boolean first) {
        if (!first) {
            return Math.fma(acc, alpha, c[idx]);
        }
        return beta == 0f ? acc * alpha : Math.fma(c[idx], beta, acc * alpha);
    }

    // ---- direct path: few rows of C, B not transposed ----------------------------------------

    /**
     * {@code C = alpha * A * B + beta * C} with B read in place, for products whose few rows of C
     * could not amortize packing B. A is addressed by strides, so it may be stored transposed.
     * Tiles are 4 rows x 4 vectors; a partial row group repeats its last row (computed, not stored).
     */
    private static void direct(int m, int n, int k, float alpha, float[] a, int aOff, int aRowStride,
                               int aColStride, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] tile = SCRATCH.get().tile;
        // k blocks as the packed path has them, so a product gets the same sums on either path.
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean first = pc == 0;
            int aBlock = aOff + pc * aColStride;
            int bBlock = bOff + pc * ldb;
            // Columns outer: a 4-vector strip of B is reused from cache by every row group.
            int j = 0;
            for (; j + DIRECT_COLS <= n; j += DIRECT_COLS) {
                for (int i = 0; i < m; i += 4) {
                    int rows = Math.min(4, m - i);
                    directTile4(kc, a, aBlock + i * aRowStride, rowStep(rows, 1, aRowStride),
                            rowStep(rows, 2, aRowStride), rowStep(rows, 3, aRowStride), aColStride, b, bBlock + j, ldb,
                            c, cOff + i * ldc + j, ldc, rows, alpha, beta, first, tile);
                }
            }
            for (; j < n; j += L) {
                for (int i = 0; i < m; i += 4) {
                    int rows = Math.min(4, m - i);
                    directTile1(kc, a, aBlock + i * aRowStride, rowStep(rows, 1, aRowStride),
                            rowStep(rows, 2, aRowStride), rowStep(rows, 3, aRowStride), aColStride, b, bBlock + j, ldb,
                            c, cOff + i * ldc + j, ldc, rows, alpha, beta, n - j, first, tile);
                }
            }
        }
    }

    /** Offset of row {@code r} of a group of {@code rows}, clamped to the group's last row. */
    private static int rowStep(int rows, int r, int stride) {
        return Math.min(r, rows - 1) * stride;
    }

    private static void directTile4(int k, float[] a, int a0, int d1, int d2, int d3, int aCol, float[] b, int bi, int ldb,
                                    float[] c, int ci, int ldc, int rows, float alpha, float beta, boolean first,
                                    float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        for (int p = 0, ai = a0; p < k; p++, ai += aCol, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[ai + d1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[ai + d2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[ai + d3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
        }
        int w = DIRECT_COLS;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c12.intoArray(tile, w + 2 * L);
        c13.intoArray(tile, w + 3 * L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c22.intoArray(tile, 2 * w + 2 * L);
        c23.intoArray(tile, 2 * w + 3 * L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c32.intoArray(tile, 3 * w + 2 * L);
        c33.intoArray(tile, 3 * w + 3 * L);
        storeTile(tile, w, c, ci, ldc, rows, w, alpha, beta, first);
    }

    private static void directTile1(int k, float[] a, int a0, int d1, int d2, int d3, int aCol, float[] b, int bi, int ldb,
                                    float[] c, int ci, int ldc, int rows, float alpha, float beta, int cols,
                                    boolean first, float[] tile) {
        VectorMask<Float> mask = S.indexInRange(0, Math.min(cols, L));
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int p = 0, ai = a0; p < k; p++, ai += aCol, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(S, b, bi, mask);
            c0 = FloatVector.broadcast(S, a[ai]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ai + d1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ai + d2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ai + d3]).fma(bv, c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        storeTile(tile, L, c, ci, ldc, rows, Math.min(cols, L), alpha, beta, first);
    }

    // ---- gemv without transpose: row dot products ----------------------------------------------

    /** {@code y = alpha * A x + beta * y}: four rows at a time share each vector of x. */
    private static void rowDots(int m, int n, float alpha, float[] a, int aOff, int lda,
                                float[] x, int xOff, float beta, float[] y, int yOff) {
        int full = S.loopBound(n);
        VectorMask<Float> tail = S.indexInRange(full, n);
        float[] lanes = new float[4 * L];
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            int r0 = aOff + i * lda;
            int r1 = r0 + rowStep(rows, 1, lda);
            int r2 = r0 + rowStep(rows, 2, lda);
            int r3 = r0 + rowStep(rows, 3, lda);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            int p = 0;
            for (; p < full; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = FloatVector.fromArray(S, a, r0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(S, a, r1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(S, a, r2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(S, a, r3 + p).fma(xv, s3);
            }
            if (p < n) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p, tail);
                s0 = FloatVector.fromArray(S, a, r0 + p, tail).fma(xv, s0);
                s1 = FloatVector.fromArray(S, a, r1 + p, tail).fma(xv, s1);
                s2 = FloatVector.fromArray(S, a, r2 + p, tail).fma(xv, s2);
                s3 = FloatVector.fromArray(S, a, r3 + p, tail).fma(xv, s3);
            }
            s0.intoArray(lanes, 0);
            s1.intoArray(lanes, L);
            s2.intoArray(lanes, 2 * L);
            s3.intoArray(lanes, 3 * L);
            for (int r = 0; r < rows; r++) {
                y[yOff + i + r] = combine(VectorMath.addInOrder(lanes, r * L, L), y, yOff + i + r, alpha, beta, true);
            }
        }
    }

    /**
     * Output lane {@code i} of the vector whose row bit {@code s} is {@code b}, at stage {@code s},
     * takes lane {@code i} with bit {@code s} set to {@code b}, from the pair's second vector when bit
     * {@code s} of {@code i} is set.
     */
    private static float[] transposeIndex() {
        if (PACK.length() != MR) {
            return new float[0];
        }
        float[] index = new float[6 * MR];
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < MR; i++) {
                    index[(2 * s + b) * MR + i] = ((i >> s) & 1) * MR + ((i & ~(1 << s)) | b << s);
                }
            }
        }
        return index;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    /** One thread's packing buffers, grown on demand and reused by every later product on that thread. */
    private static final class Scratch {
        final float[] tile = new float[Math.max(MR * NR, 4 * DIRECT_COLS)];
        /** Set while this thread runs a task of {@link #parallel}, whose products then run unsplit. */
        boolean inTask;
        private float[] a = new float[0];
        private float[] b = new float[0];

        float[] packedA(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] packedB(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
