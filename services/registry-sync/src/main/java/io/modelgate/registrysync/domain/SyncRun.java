package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.modelgate.registrysync.persistence.JsonConverters;

/** One poll of a connection, with its progress and the errors it met. */
@Entity
@Table(name = "sync_run")
public class SyncRun {

    /** What started the run. */
    public enum Trigger {
        SCHEDULE, MANUAL
    }

    /** Where the run is. */
    public enum Status {
        RUNNING,
        /** Finished without errors. */
        SUCCEEDED,
        /** Finished, but some repositories or tags failed (see messages). */
        PARTIAL,
        /** Could not list the registry at all, or the instance died. */
        FAILED
    }

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_kind")
    public Trigger trigger;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    public int repositories;

    @Column(name = "tags_seen")
    public int tagsSeen;

    @Column(name = "new_images")
    public int newImages;

    public int skipped;

    public int errors;

    @Convert(converter = JsonConverters.Strings.class)
    public List<String> messages;
}
