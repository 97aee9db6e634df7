package io.modelgate.scanner.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.scanner.domain.PolicyException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** CVE exceptions. */
@ApplicationScoped
public class PolicyExceptionRepository implements PanacheRepositoryBase<PolicyException, UUID> {

    public List<PolicyException> activeAt(Instant now) {
        return list("expiresAt > ?1 order by createdAt", now);
    }

    public List<PolicyException> all() {
        return listAll(Sort.by("createdAt"));
    }
}
