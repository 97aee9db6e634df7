package io.modelgate.scanner.persistence;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.ImageScan;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Scans by digest. */
@ApplicationScoped
public class ImageScanRepository implements PanacheRepositoryBase<ImageScan, UUID> {

    public Optional<ImageScan> findByDigest(String digest) {
        return find("digest", digest).firstResultOptional();
    }
}
