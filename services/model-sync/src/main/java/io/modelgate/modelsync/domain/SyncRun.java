package io.modelgate.modelsync.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One sync pass over every enabled target, with how many models ended in each outcome. */
@Entity
@Table(name = "sync_run")
public class SyncRun {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    public SyncTrigger trigger;

    @Column(name = "service_id")
    public String serviceId;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public int created;

    public int updated;

    public int deleted;

    public int unchanged;

    public int skipped;

    public int failed;

    /** Adds {@code count} models to the tally of {@code outcome}. */
    public void count(SyncOutcome outcome, int count) {
        switch (outcome) {
            case CREATED -> created += count;
            case UPDATED -> updated += count;
            case DELETED -> deleted += count;
            case UNCHANGED -> unchanged += count;
            case SKIPPED -> skipped += count;
            case FAILED -> failed += count;
        }
    }
}
