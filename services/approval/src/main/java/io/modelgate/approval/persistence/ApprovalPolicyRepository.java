package io.modelgate.approval.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.domain.ApprovalPolicy;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Approval policies; at most one active. */
@ApplicationScoped
public class ApprovalPolicyRepository implements PanacheRepositoryBase<ApprovalPolicy, UUID> {

    public Optional<ApprovalPolicy> findActive() {
        return find("active", true).firstResultOptional();
    }

    public Optional<ApprovalPolicy> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<ApprovalPolicy> listByName() {
        return list("order by name");
    }
}
