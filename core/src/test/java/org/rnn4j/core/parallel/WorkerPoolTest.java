package org.rnn4j.core.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WorkerPoolTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        try (WorkerPool pool = WorkerPool.create(3)) {
            for (int tasks : new int[] {0, 1, 2, 3, 7, 100, 1000}) {
                AtomicIntegerArray counts = new AtomicIntegerArray(Math.max(tasks, 1));
                pool.run(tasks, i -> counts.incrementAndGet(i));
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, counts.get(i), "task " + i + " of " + tasks);
                }
            }
        }
    }

    @Test
    void workersShareTheWork() throws InterruptedException {
        try (WorkerPool pool = WorkerPool.create(2)) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch both = new CountDownLatch(2);
            // Each of two tasks waits for the other, so they can only finish if two threads run them.
            pool.run(2, i -> {
                seen.add(Thread.currentThread());
                both.countDown();
                try {
                    assertTrue(both.await(30, java.util.concurrent.TimeUnit.SECONDS), "the other task never ran");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(2, seen.size());
            assertTrue(seen.contains(Thread.currentThread()), "the caller works too");
        }
    }

    @Test
    void uncheckedExceptionPropagatesAsIs() {
        try (WorkerPool pool = WorkerPool.create(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(64, i -> {
                if (i == 37) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            // The pool still works after a failure.
            AtomicIntegerArray counts = new AtomicIntegerArray(10);
            pool.run(10, counts::incrementAndGet);
            for (int i = 0; i < 10; i++) {
                assertEquals(1, counts.get(i));
            }
        }
    }

    @Test
    void checkedExceptionIsWrapped() {
        try (WorkerPool pool = WorkerPool.create(2)) {
            Exception checked = new java.io.IOException("io");
            IntConsumer sneaky = i -> {
                if (i == 1) {
                    WorkerPoolTest.<RuntimeException>sneakyThrow(checked);
                }
            };
            CompletionException thrown = assertThrows(CompletionException.class, () -> pool.run(4, sneaky));
            assertSame(checked, thrown.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void reentrantCallRunsInline() {
        try (WorkerPool pool = WorkerPool.create(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(2 * 8);
            AtomicReference<Throwable> problem = new AtomicReference<>();
            pool.run(2, outer -> {
                Thread self = Thread.currentThread();
                pool.run(8, i -> {
                    if (Thread.currentThread() != self) {
                        problem.compareAndSet(null, new AssertionError("nested task left its thread"));
                    }
                    inner.incrementAndGet(outer * 8 + i);
                });
            });
            assertEquals(null, problem.get());
            for (int i = 0; i < 16; i++) {
                assertEquals(1, inner.get(i));
            }
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirTasksRun() throws Exception {
        try (WorkerPool pool = WorkerPool.create(2)) {
            int callers = 4;
            Thread[] threads = new Thread[callers];
            AtomicReference<Throwable> problem = new AtomicReference<>();
            for (int t = 0; t < callers; t++) {
                threads[t] = new Thread(() -> {
                    try {
                        for (int round = 0; round < 2000; round++) {
                            int tasks = 1 + round % 9;
                            AtomicIntegerArray counts = new AtomicIntegerArray(tasks);
                            pool.run(tasks, counts::incrementAndGet);
                            for (int i = 0; i < tasks; i++) {
                                if (counts.get(i) != 1) {
                                    throw new AssertionError("task " + i + " ran " + counts.get(i) + " times");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        problem.compareAndSet(null, e);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(null, problem.get());
        }
    }

    @Test
    void manyRepeatedRunsAcrossParking() throws InterruptedException {
        try (WorkerPool pool = WorkerPool.create(2)) {
            long[] sum = new long[1];
            for (int round = 0; round < 20_000; round++) {
                long[] parts = new long[2];
                pool.run(2, i -> parts[i] = i + 1);
                sum[0] += parts[0] + parts[1];
                if (round % 5000 == 0) {
                    Thread.sleep(5); // long enough for idle workers to park, so wake-ups are exercised too
                }
            }
            assertEquals(20_000L * 3, sum[0]);
        }
    }

    @Test
    void closedPoolRunsInlineAndSingleThreadPoolToo() {
        WorkerPool pool = WorkerPool.create(2);
        pool.close();
        Thread self = Thread.currentThread();
        // Each index once, in this thread: a run that skipped the tasks would pass the thread check.
        AtomicIntegerArray closedCalls = new AtomicIntegerArray(5);
        pool.run(5, i -> {
            assertSame(self, Thread.currentThread());
            closedCalls.incrementAndGet(i);
        });
        for (int i = 0; i < 5; i++) {
            assertEquals(1, closedCalls.get(i), "closed pool, task " + i);
        }
        try (WorkerPool single = WorkerPool.create(1)) {
            assertEquals(1, single.threads());
            AtomicIntegerArray singleCalls = new AtomicIntegerArray(5);
            single.run(5, i -> {
                assertSame(self, Thread.currentThread());
                singleCalls.incrementAndGet(i);
            });
            for (int i = 0; i < 5; i++) {
                assertEquals(1, singleCalls.get(i), "single-thread pool, task " + i);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> WorkerPool.create(0));
        try (WorkerPool pool = WorkerPool.create(2)) {
            assertThrows(IllegalArgumentException.class, () -> pool.run(-1, i -> { }));
            assertThrows(NullPointerException.class, () -> pool.run(1, null));
        }
        assertInstanceOf(WorkerPool.class, WorkerPool.shared());
        assertTrue(WorkerPool.shared().threads() >= 1);
    }
}
