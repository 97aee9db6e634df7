package io.modelgate.bench;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.modelgate.events.DiscoveryMethod;
import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.events.Topics;
import io.modelgate.platform.outbox.Outbox;

/** The producing side: one state change and its event per transaction, as every service writes. */
@ApplicationScoped
public class BenchWriter {

    private final EntityManager entityManager;
    private final Outbox outbox;

    public BenchWriter(EntityManager entityManager, Outbox outbox) {
        this.entityManager = entityManager;
        this.outbox = outbox;
    }

    @Transactional
    public void write(String digest) {
        entityManager.createNativeQuery("insert into bench_state (id, digest, created_at) values (?1, ?2, ?3)")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, digest)
                .setParameter(3, Instant.now())
                .executeUpdate();
        ImageDescriptor image = new ImageDescriptor("bench", "registry.bench:5000", "models/bench", "v1", digest,
                ImageDescriptor.pinnedReference("registry.bench:5000", "models/bench", digest),
                "application/vnd.oci.image.manifest.v1+json", null, 1024, null, Map.of(), Map.of());
        RegistryImageDiscovered event = RegistryImageDiscovered.of("bench", image, DiscoveryMethod.MANUAL, null, null);
        outbox.publish(Topics.REGISTRY_IMAGES, event.key(), event);
    }
}
