package io.modelgate.registrysync.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.RepositoryRule;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Repository rules, per connection in creation order (the first rule admitting a tag is the one named). */
@ApplicationScoped
public class RuleRepository implements PanacheRepositoryBase<RepositoryRule, UUID> {

    public List<RepositoryRule> ofConnection(UUID connectionId) {
        return list("connectionId", Sort.by("createdAt").and("name"), connectionId);
    }

    public List<RepositoryRule> enabledOf(UUID connectionId) {
        return list("connectionId = ?1 and enabled = true", Sort.by("createdAt").and("name"), connectionId);
    }

    public boolean nameTaken(UUID connectionId, String name, UUID except) {
        return count("connectionId = ?1 and name = ?2 and id <> ?3", connectionId, name,
                except == null ? new UUID(0, 0) : except) > 0;
    }
}
