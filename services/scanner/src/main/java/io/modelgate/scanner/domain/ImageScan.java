package io.modelgate.scanner.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The scan of one image digest. */
@Entity
@Table(name = "image_scan")
public class ImageScan {

    @Id
    public UUID id;

    public String digest;

    public String reference;

    public String registry;

    public String repository;

    public String tag;

    @Column(name = "connection_id")
    public String connectionId;

    @Enumerated(EnumType.STRING)
    public ScanStatus status;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "discovery_event_id")
    public UUID discoveryEventId;
}
