package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.modelgate.events.DiscoveryMethod;

/** An image registry-sync has announced with {@code RegistryImageDiscovered}. */
@Entity
@Table(name = "discovered_image")
public class DiscoveredImage {

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public String connectionId;

    public String registry;

    public String repository;

    public String tag;

    public String digest;

    public String reference;

    @Column(name = "media_type")
    public String mediaType;

    @Enumerated(EnumType.STRING)
    @Column(name = "discovered_by")
    public DiscoveryMethod discoveredBy;

    @Column(name = "discovered_at")
    public Instant discoveredAt;

    @Column(name = "discovered_user")
    public String discoveredUser;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "rule_id")
    public UUID ruleId;

    /** {@code os/arch[/variant]} of a platform manifest; null for a manual announcement. */
    public String platform;
}
