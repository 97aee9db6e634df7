package io.modelgate.scanner.messaging;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.modelgate.events.ImageDescriptor;
import io.modelgate.events.RegistryImageDiscovered;
import io.modelgate.platform.messaging.EventHandlers;
import io.modelgate.platform.messaging.EventProcessor;
import io.modelgate.platform.outbox.Outbox;
import io.modelgate.scanner.domain.ImageScan;
import io.modelgate.scanner.domain.ScanStatus;
import io.modelgate.scanner.persistence.ImageScanRepository;
import io.smallrye.common.annotation.Blocking;

/**
 * Queues a scan for every newly discovered digest. One record at a time ({@code @Blocking}, ordered), each applied in
 * its own transaction with the inbox by {@link EventProcessor}, so a redelivered discovery queues nothing twice.
 */
@ApplicationScoped
public class DiscoveryConsumer {

    static final String CONSUMER = "scanner";

    private final EventProcessor processor;
    private final ImageScanRepository scans;
    private final EventHandlers handlers;

    public DiscoveryConsumer(EventProcessor processor, ImageScanRepository scans) {
        this.processor = processor;
        this.scans = scans;
        this.handlers = EventHandlers.builder().on(RegistryImageDiscovered.class, this::queue).build();
    }

    @Incoming("registry-images")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(CONSUMER, record, handlers);
    }

    void queue(RegistryImageDiscovered event) {
        ImageDescriptor image = event.image();
        // Every place a digest is found counts for the exceptions scoped to repositories, not only the first.
        scans.recordRepository(image.digest(), image.registry(), image.repository());
        // Another tag of a digest already queued or scanned: the digest's scan covers it.
        Optional<ImageScan> known = scans.findByDigest(image.digest());
        if (known.isPresent()) {
            ImageDescriptor completed = ImageScan.completed(known.get().descriptor, image);
            if (completed != null) {
                // The image column alone: a worker may be recording this digest's result at the same time.
                scans.replaceDescriptor(image.digest(), completed);
            }
            return;
        }
        ImageScan scan = new ImageScan();
        scan.id = UUID.randomUUID();
        scan.digest = image.digest();
        scan.reference = image.reference();
        scan.registry = image.registry();
        scan.repository = image.repository();
        scan.tag = image.tag();
        scan.connectionId = image.connectionId();
        scan.descriptor = image;
        scan.status = ScanStatus.QUEUED;
        scan.requestedAt = Instant.now();
        scan.discoveryEventId = event.eventId();
        // The discovery's trace: the worker scans and announces the result in it, one trace per image.
        Outbox.StoredTrace trace = Outbox.StoredTrace.current();
        if (trace != null) {
            scan.traceparent = trace.traceparent();
            scan.tracestate = trace.tracestate();
        }
        scans.persist(scan);
    }
}
