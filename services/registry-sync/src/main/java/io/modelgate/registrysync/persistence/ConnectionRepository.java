package io.modelgate.registrysync.persistence;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.registrysync.domain.RegistryConnection;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Registry connections. */
@ApplicationScoped
public class ConnectionRepository implements PanacheRepositoryBase<RegistryConnection, UUID> {

    public List<RegistryConnection> all() {
        return listAll(Sort.by("name"));
    }

    public List<RegistryConnection> enabled() {
        return list("enabled", Sort.by("name"), true);
    }

    public boolean nameTaken(String name, UUID except) {
        return count("name = ?1 and id <> ?2", name, except == null ? new UUID(0, 0) : except) > 0;
    }
}
