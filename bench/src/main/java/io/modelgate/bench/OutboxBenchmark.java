package io.modelgate.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.modelgate.testing.OciImages;
import io.quarkus.runtime.QuarkusApplication;

/**
 * Events through the whole spine: a transaction writes state and an outbox row, the relay publishes to Kafka, a
 * consumer applies it with inbox and one database write. Prints sustained throughput and end-to-end latency (event
 * time to applied) at a fixed offered rate. Sizes come from system properties {@code bench.events},
 * {@code bench.rate}, {@code bench.seconds}.
 */
public class OutboxBenchmark implements QuarkusApplication {

    private final BenchWriter writer;
    private final BenchConsumer consumer;

    public OutboxBenchmark(BenchWriter writer, BenchConsumer consumer) {
        this.writer = writer;
        this.consumer = consumer;
    }

    @Override
    public int run(String... args) throws Exception {
        int events = Integer.getInteger("bench.events", 20_000);
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int writers = Integer.getInteger("bench.writers", 4);

        System.out.println("Warming up...");
        burst(2_000, writers);
        consumer.drainLatencies();

        System.out.printf("Throughput: %,d events, %d writer threads, as fast as the spine goes%n", events, writers);
        long start = System.nanoTime();
        long writeNanos = burst(events, writers);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] burstLatencies = consumer.drainLatencies();
        System.out.printf("  written in %.2f s (%,.0f events/s into the outbox)%n", writeNanos / 1e9,
                events / (writeNanos / 1e9));
        System.out.printf("  applied end to end in %.2f s: %,.0f events/s sustained%n", elapsed, events / elapsed);
        print("  latency under full load", burstLatencies);

        System.out.printf("Latency: %d events/s offered for %d s (open loop)%n", rate, seconds);
        int total = rate * seconds;
        long before = consumer.applied();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicLong sent = new AtomicLong();
        long periodMicros = 1_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            if (sent.getAndIncrement() < total) {
                // Each send on the pool: a slow write never delays the next one (no coordinated omission).
                pool.submit(() -> writer.write(randomDigest()));
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        awaitApplied(before + total, seconds + 60);
        ticker.shutdownNow();
        pool.shutdown();
        print("  latency at " + rate + " events/s", consumer.drainLatencies());
        return 0;
    }

    /** Writes {@code count} events from {@code threads} threads and waits until all are applied; returns write time. */
    private long burst(int count, int threads) throws Exception {
        long before = consumer.applied();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        int perThread = count / threads;
        for (int t = 0; t < threads; t++) {
            int n = t == threads - 1 ? count - perThread * (threads - 1) : perThread;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < n; i++) {
                    writer.write(randomDigest());
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long writeNanos = System.nanoTime() - start;
        pool.shutdown();
        awaitApplied(before + count, 300);
        return writeNanos;
    }

    private void awaitApplied(long target, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (consumer.applied() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + consumer.applied() + " of " + target + " events applied");
            }
            Thread.sleep(5);
        }
    }

    private static void print(String label, long[] micros) {
        Arrays.sort(micros);
        System.out.printf("%s: n=%,d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms%n", label, micros.length,
                percentile(micros, 50), percentile(micros, 90), percentile(micros, 99),
                micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1000.0;
    }

    private static String randomDigest() {
        return OciImages.digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }
}
