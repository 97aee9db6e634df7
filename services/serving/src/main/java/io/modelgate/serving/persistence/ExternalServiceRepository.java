package io.modelgate.serving.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.serving.domain.ExternalService;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** External inference services by id and by {@code namespace/name}. */
@ApplicationScoped
public class ExternalServiceRepository implements PanacheRepositoryBase<ExternalService, UUID> {

    public Optional<ExternalService> byName(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name).firstResultOptional();
    }

    public List<ExternalService> all() {
        return list("order by namespace, name");
    }

    /** Ids of external services whose desired state is not in the cluster yet and whose retry is due. */
    public List<UUID> pendingWrites(Instant now, int limit) {
        return getEntityManager()
                .createQuery("select e.id from ExternalService e where (e.deleting = true or e.appliedRevision < "
                        + "e.specRevision) and (e.state.nextWriteAt is null or e.state.nextWriteAt <= :now)",
                        UUID.class)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList();
    }
}
