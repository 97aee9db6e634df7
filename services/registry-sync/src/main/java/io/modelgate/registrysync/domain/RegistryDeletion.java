package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A deletion a registry reported by webhook; recorded for operators, revocation stays approval's decision. */
@Entity
@Table(name = "registry_deletion")
public class RegistryDeletion {

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    public String repository;

    public String tag;

    public String digest;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "delivery_id")
    public UUID deliveryId;
}
