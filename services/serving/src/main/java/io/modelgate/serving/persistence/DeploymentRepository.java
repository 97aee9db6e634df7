package io.modelgate.serving.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.serving.domain.Deployment;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Deployments by id, by {@code namespace/name} and by digest. */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    public Optional<Deployment> byName(String namespace, String name) {
        return find("namespace = ?1 and name = ?2", namespace, name).firstResultOptional();
    }

    public List<Deployment> byDigest(String digest) {
        return list("digest", digest);
    }

    public List<Deployment> all() {
        return list("order by namespace, name");
    }

    /** Ids of deployments whose desired state is not in the cluster yet and whose retry is due. */
    public List<UUID> pendingWrites(Instant now, int limit) {
        return getEntityManager()
                .createQuery("select d.id from Deployment d where (d.deleting = true or d.appliedRevision < "
                        + "d.specRevision) and (d.state.nextWriteAt is null or d.state.nextWriteAt <= :now)",
                        UUID.class)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList();
    }
}
