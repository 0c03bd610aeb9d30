package org.rnn4j.core.parallel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fork-join pool for numeric kernels whose work items take microseconds: it hands a batch
 * of task indices to its workers in well under a microsecond when they are awake, where an
 * {@code ExecutorService} round trip costs tens of microseconds.
 *
 * <p>A pool of {@code t} threads owns {@code t - 1} daemon worker threads; the thread that calls
 * {@link #run} is the {@code t}-th and works too. Idle workers spin briefly, so the next batch of a
 * tight loop (a recurrent network's time steps) finds them awake, then park, so an idle pool uses
 * no CPU.
 *
 * <p>Thread safety: one batch runs at a time. A call made while another batch is running (from
 * another thread, or re-entrantly from inside a task) does not wait: it runs its whole batch inline
 * on its own calling thread. So calls never block on each other and nested calls cannot deadlock.
 */
public final class WorkerPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    /** System property that sets the threads of {@link #shared()}; the same as {@code Kernels.THREADS_PROPERTY}. */
    public static final String THREADS_PROPERTY = "rnn4j.threads";

    /** How long an idle worker (or a waiting caller) spins before parking: long enough to span the gap between two time steps. */
    private static final long SPIN_NANOS = 200_000L;

    private final int threads;
    private final Thread[] workers;
    /** Per worker: whether it is parked (or about to park) and so needs an unpark to see a new batch. */
    private final AtomicBoolean[] parked;
    /** Set while a batch runs; the caller that sets it owns the workers until it clears it. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final boolean closeable;
    /** The batch being run, or null; workers compare it with the last one they saw. */
    private volatile Batch current;
    private volatile boolean closed;

    private WorkerPool(int threads, boolean closeable) {
        this.threads = threads;
        this.closeable = closeable;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicBoolean[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int slot = w;
            parked[w] = new AtomicBoolean();
            workers[w] = Thread.ofPlatform().daemon().name("rnn4j-worker-" + (w + 1) + "/" + threads)
                    .unstarted(() -> workLoop(slot));
            workers[w].start();
        }
    }

    /** Holder idiom: the shared pool's threads start only when it is first asked for. */
    private static final class Shared {
        static final WorkerPool POOL = new WorkerPool(defaultThreads(), false);
    }

    /**
     * The pool shared by this JVM's kernels, with {@link #defaultThreads()} threads. Closing it has no effect.
     */
    public static WorkerPool shared() {
        return Shared.POOL;
    }

    /**
     * A new pool of {@code threads} threads (the caller plus {@code threads - 1} workers). Close it
     * when done with it, or its parked workers stay for the life of the JVM.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static WorkerPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("WorkerPool: threads must be >= 1, given " + threads);
        }
        return new WorkerPool(threads, true);
    }

    /**
     * The thread count kernels use by default: the system property {@value #THREADS_PROPERTY} when it
     * is a whole number {@code >= 1}, else the available processors (a bad value is logged and ignored).
     */
    public static int defaultThreads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        int available = Runtime.getRuntime().availableProcessors();
        if (configured == null || configured.isBlank()) {
            return available;
        }
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the warning below
        }
        LOG.log(System.Logger.Level.WARNING, "Ignoring -D{0}={1}: expected a whole number >= 1; using {2}",
                THREADS_PROPERTY, configured, available);
        return available;
    }

    /** The number of threads a batch may run on, the caller included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, tasks)}, each exactly once, on the
     * calling thread and the workers, and returns when all have finished. Runs inline on the calling
     * thread when {@code tasks == 1}, when the pool has one thread or is closed, and when another
     * batch is running (a concurrent or re-entrant call).
     *
     * <p>When a task throws, the tasks not yet started are skipped, the running ones finish, and the
     * first exception is rethrown: as is when unchecked, else wrapped in a {@link CompletionException}.
     *
     * @throws IllegalArgumentException when {@code tasks < 0}
     */
    public void run(int tasks, IntConsumer task) {
        Objects.requireNonNull(task, "task");
        if (tasks < 0) {
            throw new IllegalArgumentException("WorkerPool.run: tasks must be >= 0, given " + tasks);
        }
        if (tasks == 0) {
            return;
        }
        if (tasks == 1 || workers.length == 0 || closed || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        Batch batch = new Batch(task, tasks, Thread.currentThread());
        try {
            current = batch;
            // Dekker pairing with the worker's park: it sets its flag then re-reads current.
            for (int w = 0; w < workers.length; w++) {
                if (parked[w].get()) {
                    LockSupport.unpark(workers[w]);
                }
            }
            batch.work();
            batch.awaitDone();
        } finally {
            current = null; // so the pool does not keep the task's arrays reachable
            busy.set(false);
        }
        Throwable failure = batch.failure;
        if (failure != null) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new CompletionException(failure);
        }
    }

    /**
     * Stops the workers of a pool made by {@link #create}; later batches run inline on the caller.
     * Has no effect on {@link #shared()}.
     */
    @Override
    public void close() {
        if (!closeable || closed) {
            return;
        }
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + threads + " threads" + (closed ? ", closed]" : "]");
    }

    private void workLoop(int slot) {
        Batch seen = null;
        while (!closed) {
            Batch batch = current;
            if (batch != seen) {
                seen = batch;
                if (batch != null) {
                    batch.work();
                }
                continue;
            }
            idle(slot, seen);
        }
    }

    /** Waits until the current batch differs from {@code seen} or the pool closes: spin first, then park. */
    private void idle(int slot, Batch seen) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (current == seen && !closed) {
            if (System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            } else {
                parked[slot].set(true);
                if (current == seen && !closed) {
                    LockSupport.park(this);
                }
                parked[slot].set(false);
                return;
            }
        }
    }

    /** One call's tasks: indices are claimed dynamically, so a slow or late thread just does fewer. */
    private static final class Batch {
        private static final VarHandle FAILURE;

        static {
            try {
                FAILURE = MethodHandles.lookup().findVarHandle(Batch.class, "failure", Throwable.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final IntConsumer task;
        final int tasks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Batch(IntConsumer task, int tasks, Thread caller) {
            this.task = task;
            this.tasks = tasks;
            this.caller = caller;
        }

        void work() {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    if (failure == null) {
                        task.accept(i);
                    }
                } catch (Throwable t) {
                    FAILURE.compareAndSet(this, null, t);
                } finally {
                    if (done.incrementAndGet() == tasks && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Called by the caller after its own share: spins while the last tasks are likely about to end, then parks. */
        void awaitDone() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (done.get() < tasks) {
                if (System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this); // the thread finishing the last task unparks us
                }
            }
        }
    }
}
