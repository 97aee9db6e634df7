package io.modelgate.scanner.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.ScanPolicy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The scan policy's single row. */
@ApplicationScoped
public class ScanPolicyRepository implements PanacheRepositoryBase<ScanPolicy, Integer> {

    public ScanPolicy current() {
        return findById(ScanPolicy.ID);
    }
}
