package dev.machina.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lazy holders make their value once, on the first read, whichever thread reads first. */
class LazyTest {
    @Test
    void nothingIsMadeBeforeTheFirstReadAndOnlyOnceAfter() {
        AtomicInteger made = new AtomicInteger();
        Lazy<List<String>> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            return List.of("pc");
        });
        assertEquals(0, made.get());
        List<String> first = lazy.get();
        assertSame(first, lazy.get());
        assertEquals(1, made.get());
    }

    @Test
    void threadsRacingTheFirstReadShareOneValue() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(lazy.get());
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, made.get());
        assertEquals(8, seen.size());
        seen.forEach(o -> assertSame(seen.get(0), o));
    }

    @Test
    void aSupplierThatReturnsNullIsAnErrorNotAnEndlessRetry() {
        Lazy<String> lazy = new Lazy<>(() -> null);
        assertThrows(NullPointerException.class, lazy::get);
    }

    @Test
    void theMapAndListAreWhatTheirSuppliersMakeAndEqualThem() {
        AtomicInteger made = new AtomicInteger();
        LazyMap<String, Integer> map = new LazyMap<>(() -> {
            made.incrementAndGet();
            return Map.of("pc", 1, "q35", 2);
        });
        LazyList<String> list = new LazyList<>(() -> {
            made.incrementAndGet();
            return new ArrayList<>(List.of("a", "b"));
        });
        assertEquals(0, made.get());
        assertEquals(Map.of("pc", 1, "q35", 2), map);
        assertEquals(2, map.get("q35"));
        list.add("c");
        assertEquals(List.of("a", "b", "c"), list);
        assertEquals(2, made.get());
    }
}
