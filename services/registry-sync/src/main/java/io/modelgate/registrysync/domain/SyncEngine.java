package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelgate.events.DiscoveryMethod;
import io.modelgate.registrysync.client.Descriptor;
import io.modelgate.registrysync.client.Manifests;
import io.modelgate.registrysync.client.RegistryClient;
import io.modelgate.registrysync.config.RegistrySyncConfig;
import io.modelgate.registrysync.persistence.ConnectionRepository;
import io.modelgate.registrysync.persistence.RuleRepository;
import io.modelgate.registrysync.persistence.SyncRunRepository;
import io.modelgate.registrysync.persistence.TagDigestRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Walks a connection's registry under its rules: lists repositories and tags, HEADs each admitted tag, and fetches
 * metadata only for tags whose digest differs from the cached one. Polls, webhook pushes and previews share it.
 */
@ApplicationScoped
public class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    /** Tags resolved and written per transaction: large enough to amortise commits, small for steady progress. */
    private static final int BATCH = 200;

    /** How often a running poll writes its progress (and heartbeat) to the run row. */
    private static final long PROGRESS_EVERY_NANOS = java.time.Duration.ofSeconds(1).toNanos();

    private final ConnectionRepository connections;
    private final RuleRepository rules;
    private final SyncRunRepository runs;
    private final TagDigestRepository tagDigests;
    private final RegistryClients clients;
    private final ImageResolver resolver;
    private final Discoveries discoveries;
    private final RegistrySyncConfig config;
    private final MeterRegistry meters;

    public SyncEngine(ConnectionRepository connections, RuleRepository rules, SyncRunRepository runs,
            TagDigestRepository tagDigests, RegistryClients clients, ImageResolver resolver, Discoveries discoveries,
            RegistrySyncConfig config, MeterRegistry meters) {
        this.connections = connections;
        this.rules = rules;
        this.runs = runs;
        this.tagDigests = tagDigests;
        this.clients = clients;
        this.resolver = resolver;
        this.discoveries = discoveries;
        this.config = config;
        this.meters = meters;
    }

    /** A tag a rule admits, with what the tag resolved to once looked at. */
    public record Candidate(String repository, String tag, CompiledRule rule) {
    }

    /** The outcome of looking at one candidate. */
    public record Evaluation(Candidate candidate, String digest, boolean unchanged, List<ResolvedImage> images,
            List<String> skipped, String error) {
    }

    /** A repository's admitted tags and its cached tag → digest map (empty for a full run). */
    private record Listing(List<Candidate> candidates, Map<String, String> cached) {
    }

    /** Counters of a run, shared by its worker threads and flushed to the run row. */
    static final class Progress {
        final AtomicInteger repositories = new AtomicInteger();
        final AtomicInteger tagsSeen = new AtomicInteger();
        final AtomicInteger newImages = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final List<String> messages = Collections.synchronizedList(new ArrayList<>());
        final int maxMessages;

        Progress(int maxMessages) {
            this.maxMessages = maxMessages;
        }

        void message(String text) {
            synchronized (messages) {
                if (messages.size() < maxMessages) {
                    messages.add(text);
                }
            }
        }
    }

    /** Runs a poll to the end, recording progress and outcome on the run row; never throws. */
    public void runPoll(UUID runId, boolean full) {
        Progress progress = new Progress(config.poll().maxMessages());
        SyncRun.Status status;
        long started = System.nanoTime();
        try {
            status = poll(runId, full, progress);
        } catch (RuntimeException e) {
            LOG.warnf("Sync run %s failed: %s", runId, e.getMessage());
            progress.errors.incrementAndGet();
            progress.message("run failed: " + e.getMessage());
            status = SyncRun.Status.FAILED;
        }
        SyncRun.Status finalStatus = status;
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun run = runs.findById(runId);
            if (run != null) {
                write(run, progress);
                run.status = finalStatus;
                run.finishedAt = Instant.now();
            }
        });
        meters.counter("modelgate.registry.sync.runs", "status", finalStatus.name()).increment();
        meters.timer("modelgate.registry.sync.duration")
                .record(java.time.Duration.ofNanos(System.nanoTime() - started));
    }

    private SyncRun.Status poll(UUID runId, boolean full, Progress progress) {
        SyncRun run = QuarkusTransaction.requiringNew().call(() -> runs.findById(runId));
        RegistryConnection connection = QuarkusTransaction.requiringNew()
                .call(() -> connections.findById(run.connectionId));
        List<CompiledRule> compiled = enabledRules(connection.id);
        if (compiled.isEmpty()) {
            progress.message("no enabled rules: nothing to sync");
            return SyncRun.Status.SUCCEEDED;
        }
        RegistryClient client = clients.of(connection);
        List<String> repositories = repositories(client, compiled, progress);
        progress.repositories.set(repositories.size());
        flush(runId, progress);

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.client().maxConcurrency()));
        try {
            // Phase 1: tag list and cached digests of every repository, in parallel (one query per repository, on
            // the worker that lists it, so the reads overlap the registry requests).
            List<Future<Listing>> listings = new ArrayList<>();
            for (String repository : repositories) {
                listings.add(pool.submit(() -> {
                    List<Candidate> admitted = candidates(client, repository, compiled, progress);
                    return new Listing(admitted, full || admitted.isEmpty()
                            ? Map.of()
                            : cachedDigests(connection.id, repository));
                }));
            }
            // Phase 2: HEAD every admitted tag (queued as soon as its repository is listed, so the pool never idles
            // while a batch is written), resolve changed ones, and write the results in batches as they complete,
            // in order. An unchanged tag writes nothing at all.
            Map<String, CompletableFuture<ImageResolver.Resolution>> resolved = new ConcurrentHashMap<>();
            List<Future<Evaluation>> pending = new ArrayList<>();
            for (Future<Listing> listing : listings) {
                Listing listed = await(listing);
                for (Candidate candidate : listed.candidates()) {
                    String known = listed.cached().get(candidate.tag());
                    pending.add(pool.submit(() -> evaluate(client, candidate, known, resolved)));
                }
            }
            flush(runId, progress);
            List<Discoveries.Found> found = new ArrayList<>();
            long lastFlush = System.nanoTime();
            for (Future<Evaluation> future : pending) {
                Evaluation evaluation = await(future);
                account(evaluation, progress);
                toFound(evaluation).ifPresent(found::add);
                if (found.size() == BATCH) {
                    progress.newImages.addAndGet(discoveries.record(connection, found, DiscoveryMethod.POLL));
                    found = new ArrayList<>();
                }
                // Progress by the clock, not per tag: a warm run looks at thousands of tags a second.
                if (System.nanoTime() - lastFlush >= PROGRESS_EVERY_NANOS) {
                    flush(runId, progress);
                    lastFlush = System.nanoTime();
                }
            }
            if (!found.isEmpty()) {
                progress.newImages.addAndGet(discoveries.record(connection, found, DiscoveryMethod.POLL));
            }
        } finally {
            pool.shutdownNow();
        }
        return progress.errors.get() == 0 ? SyncRun.Status.SUCCEEDED : SyncRun.Status.PARTIAL;
    }

    private static void account(Evaluation evaluation, Progress progress) {
        Candidate c = evaluation.candidate();
        if (evaluation.error() != null) {
            progress.errors.incrementAndGet();
            progress.message(c.repository() + ":" + c.tag() + ": " + evaluation.error());
        } else if (evaluation.unchanged()) {
            progress.skipped.incrementAndGet();
        } else if (evaluation.images().isEmpty()) {
            progress.skipped.incrementAndGet();
            progress.message("skipped " + c.repository() + ":" + c.tag() + ": "
                    + String.join("; ", evaluation.skipped()));
        }
    }

    /** What to store for an evaluation: nothing for errors (retried next time) and unchanged tags (stored already). */
    private static Optional<Discoveries.Found> toFound(Evaluation e) {
        if (e.error() != null || e.unchanged() || e.digest() == null) {
            return Optional.empty();
        }
        Candidate c = e.candidate();
        // A skipped tag is remembered too: its digest's content cannot change, so it costs no GET next time.
        return Optional.of(new Discoveries.Found(c.repository(), c.tag(), e.digest(), e.images(), c.rule().id(),
                c.rule().name()));
    }

    /**
     * HEADs the tag; when the digest differs from {@code knownDigest}, resolves the image (once per digest per run,
     * through {@code resolved}) and applies the rule's platform and label requirements.
     */
    Evaluation evaluate(RegistryClient client, Candidate candidate, String knownDigest,
            Map<String, CompletableFuture<ImageResolver.Resolution>> resolved) {
        return evaluate(client, candidate, knownDigest, resolved, null);
    }

    /** As above; {@code pushedDigest} (from a push event) stands in for the HEAD. */
    Evaluation evaluate(RegistryClient client, Candidate candidate, String knownDigest,
            Map<String, CompletableFuture<ImageResolver.Resolution>> resolved, String pushedDigest) {
        try {
            String digest = pushedDigest;
            if (digest == null) {
                Optional<Descriptor> head = client.head(candidate.repository(), candidate.tag());
                if (head.isEmpty()) {
                    return new Evaluation(candidate, null, false, List.of(), List.of("tag no longer exists"), null);
                }
                digest = head.get().digest();
            }
            if (digest.equals(knownDigest)) {
                return new Evaluation(candidate, digest, true, List.of(), List.of(), null);
            }
            // Many tags share a digest: the first caller resolves it, concurrent ones wait for that result.
            CompletableFuture<ImageResolver.Resolution> mine = new CompletableFuture<>();
            CompletableFuture<ImageResolver.Resolution> existing = resolved.putIfAbsent(digest, mine);
            ImageResolver.Resolution resolution;
            if (existing == null) {
                try {
                    resolution = resolver.resolve(client, candidate.repository(), digest);
                    mine.complete(resolution);
                } catch (RuntimeException e) {
                    resolved.remove(digest, mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            } else {
                resolution = awaitResolution(existing);
            }
            List<ResolvedImage> admitted = new ArrayList<>();
            List<String> skipped = new ArrayList<>(resolution.skipped());
            for (ResolvedImage image : resolution.images()) {
                if (!candidate.rule().admitsPlatform(image.platform())) {
                    skipped.add((image.platform() == null ? "unknown platform" : image.platform().value())
                            + " is not among the rule's platforms");
                    continue;
                }
                Optional<String> missing = candidate.rule().missingLabel(image.labels(), image.annotations());
                if (missing.isPresent()) {
                    skipped.add(missing.get());
                    continue;
                }
                admitted.add(image);
            }
            return new Evaluation(candidate, digest, false, admitted, skipped, null);
        } catch (Manifests.UnsupportedManifestException e) {
            return new Evaluation(candidate, null, false, List.of(), List.of(e.getMessage()), null);
        } catch (RuntimeException e) {
            return new Evaluation(candidate, null, false, List.of(), List.of(), e.getMessage());
        }
    }

    private Map<String, String> cachedDigests(UUID connectionId, String repository) {
        return QuarkusTransaction.requiringNew().call(() -> tagDigests.ofRepository(connectionId, repository));
    }

    private List<CompiledRule> enabledRules(UUID connectionId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> rules.enabledOf(connectionId).stream().map(CompiledRule::compile).toList());
    }

    /** Repositories to look at: the catalog (when a rule needs it and the registry has one) plus exact rules. */
    private static List<String> repositories(RegistryClient client, List<CompiledRule> compiled, Progress progress) {
        Set<String> repositories = new LinkedHashSet<>();
        boolean needsCatalog = compiled.stream().anyMatch(r -> r.exactRepository().isEmpty());
        if (needsCatalog) {
            Optional<List<String>> catalog = client.catalog();
            if (catalog.isEmpty()) {
                progress.message("the registry offers no catalog: only rules with an EXACT repository apply");
            } else {
                repositories.addAll(catalog.get());
            }
        }
        compiled.forEach(r -> r.exactRepository().ifPresent(repositories::add));
        return repositories.stream()
                .filter(repo -> compiled.stream().anyMatch(r -> r.matchesRepository(repo)))
                .toList();
    }

    /** The admitted tags of one repository; the first rule that admits a tag is the one named in the event. */
    private static List<Candidate> candidates(RegistryClient client, String repository, List<CompiledRule> compiled,
            Progress progress) {
        try {
            List<String> tags = client.tags(repository);
            progress.tagsSeen.addAndGet(tags.size());
            Map<String, Candidate> admitted = new LinkedHashMap<>();
            for (CompiledRule rule : compiled) {
                if (rule.matchesRepository(repository)) {
                    for (String tag : rule.select(repository, tags)) {
                        admitted.putIfAbsent(tag, new Candidate(repository, tag, rule));
                    }
                }
            }
            int notAdmitted = tags.size() - admitted.size();
            progress.skipped.addAndGet(Math.max(0, notAdmitted));
            return new ArrayList<>(admitted.values());
        } catch (RuntimeException e) {
            progress.errors.incrementAndGet();
            progress.message(repository + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Handles one pushed tag the way a poll would handle it: the same rules, digest cache and metadata fetch; the
     * pushed digest, when the event names one, replaces the HEAD.
     * Returns a short outcome for the delivery record.
     */
    public String processPush(UUID connectionId, String repository, String tag, String digest,
            DiscoveryMethod method) {
        RegistryConnection connection = QuarkusTransaction.requiringNew()
                .call(() -> connections.findById(connectionId));
        if (connection == null) {
            return "connection deleted";
        }
        if (!connection.enabled) {
            return "connection disabled: ignored";
        }
        List<CompiledRule> compiled = enabledRules(connectionId);
        RegistryClient client = clients.of(connection);
        Candidate candidate = null;
        List<String> tags = null;
        for (CompiledRule rule : compiled) {
            if (!rule.matchesRepository(repository)) {
                continue;
            }
            if (rule.needsTagList() && tags == null) {
                tags = client.tags(repository);
            }
            List<String> pool = rule.needsTagList() ? tags : List.of(tag);
            if (rule.select(repository, pool).contains(tag)) {
                candidate = new Candidate(repository, tag, rule);
                break;
            }
        }
        if (candidate == null) {
            return "no enabled rule admits " + repository + ":" + tag;
        }
        String known = QuarkusTransaction.requiringNew()
                .call(() -> tagDigests.digestOf(connectionId, repository, tag));
        // The event's digest is what was pushed; distribution notifies before it links the tag, so a HEAD by tag
        // can still miss (404) or see the previous digest.
        Evaluation evaluation = evaluate(client, candidate, known, new ConcurrentHashMap<>(), digest);
        if (evaluation.error() != null) {
            throw new IllegalStateException(evaluation.error());
        }
        if (evaluation.unchanged()) {
            return "unchanged: " + evaluation.digest();
        }
        Optional<Discoveries.Found> found = toFound(evaluation);
        int announced = found.map(f -> discoveries.record(connection, List.of(f), method)).orElse(0);
        if (evaluation.images().isEmpty()) {
            return "skipped: " + String.join("; ", evaluation.skipped());
        }
        return "announced " + announced + " image(s) of " + evaluation.digest() + " by rule " + candidate.rule().name();
    }

    /** What the rules would sync now: every admitted tag with its digest and images; stores and emits nothing. */
    public List<Evaluation> preview(RegistryConnection connection, List<CompiledRule> compiled, int limit,
            List<String> messages) {
        RegistryClient client = clients.of(connection);
        Progress progress = new Progress(config.poll().maxMessages());
        List<String> repositories = repositories(client, compiled, progress);
        List<Evaluation> evaluations = new ArrayList<>();
        Map<String, CompletableFuture<ImageResolver.Resolution>> resolved = new ConcurrentHashMap<>();
        for (String repository : repositories) {
            Map<String, String> cached = QuarkusTransaction.requiringNew()
                    .call(() -> tagDigests.ofRepository(connection.id, repository));
            for (Candidate candidate : candidates(client, repository, compiled, progress)) {
                if (evaluations.size() >= limit) {
                    messages.addAll(progress.messages);
                    messages.add("stopped after " + limit + " tags (limit)");
                    return evaluations;
                }
                // Unchanged tags are reported with their cached digest; changed ones are resolved as a sync would.
                evaluations.add(evaluate(client, candidate, cached.get(candidate.tag()), resolved));
            }
        }
        messages.addAll(progress.messages);
        return evaluations;
    }

    private void flush(UUID runId, Progress progress) {
        QuarkusTransaction.requiringNew().run(() -> {
            SyncRun run = runs.findById(runId);
            if (run != null) {
                write(run, progress);
            }
        });
    }

    private static void write(SyncRun run, Progress progress) {
        run.repositories = progress.repositories.get();
        run.tagsSeen = progress.tagsSeen.get();
        run.newImages = progress.newImages.get();
        run.skipped = progress.skipped.get();
        run.errors = progress.errors.get();
        synchronized (progress.messages) {
            run.messages = new ArrayList<>(progress.messages);
        }
        run.heartbeatAt = Instant.now();
    }

    private static ImageResolver.Resolution awaitResolution(CompletableFuture<ImageResolver.Resolution> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
