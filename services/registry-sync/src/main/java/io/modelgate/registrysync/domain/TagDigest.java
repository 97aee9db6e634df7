package io.modelgate.registrysync.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The digest a tag pointed to when last looked at; an equal HEAD digest means nothing to fetch. */
@Entity
@Table(name = "tag_digest")
@IdClass(TagDigest.Key.class)
public class TagDigest {

    /** Composite key. */
    public static class Key implements Serializable {
        public UUID connectionId;
        public String repository;
        public String tag;

        public Key() {
        }

        public Key(UUID connectionId, String repository, String tag) {
            this.connectionId = connectionId;
            this.repository = repository;
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(connectionId, k.connectionId)
                    && Objects.equals(repository, k.repository) && Objects.equals(tag, k.tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(connectionId, repository, tag);
        }
    }

    @Id
    @Column(name = "connection_id")
    public UUID connectionId;

    @Id
    public String repository;

    @Id
    public String tag;

    public String digest;

    @Column(name = "checked_at")
    public Instant checkedAt;
}
