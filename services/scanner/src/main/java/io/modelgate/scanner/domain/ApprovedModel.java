package io.modelgate.scanner.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A model version approval has approved, with its digest: the digests to rescan when the database updates. */
@Entity
@Table(name = "approved_model")
public class ApprovedModel {

    @Id
    @Column(name = "version_id")
    public String versionId;

    public String digest;

    @Column(name = "approved_at")
    public Instant approvedAt;
}
