package io.modelgate.approval.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import io.modelgate.approval.domain.Model;
import io.modelgate.approval.domain.ModelVersion;
import io.modelgate.approval.domain.VersionState;
import io.modelgate.events.FunctionType;

/** The library's browse and search queries: versions with their model, filtered, sorted and paged in the database. */
@ApplicationScoped
public class LibraryQueries {

    /** Filters of a version search; a null filter matches everything. */
    public record VersionFilter(FunctionType functionType, VersionState state, String license, String registry,
            String digest, String text, Boolean flagged) {
    }

    /** What versions can be sorted by, with the column each maps to. */
    public enum VersionSort {
        DISCOVERED("v.discoveredAt", false), UPDATED("v.updatedAt", false), NAME("v.modelName", false), VERSION(
                "v.version",
                false), STATE("v.state", false), SIZE("v.sizeBytes", false), PARAMETERS("v.parameterCount", true);

        final String column;
        /** Only a nullable column gets NULLS LAST: on the others it would keep PostgreSQL from reading an index in order. */
        final boolean nullable;

        VersionSort(String column, boolean nullable) {
            this.column = column;
            this.nullable = nullable;
        }
    }

    /** A version with its model. */
    public record Row(ModelVersion version, Model model) {
    }

    /** One page of rows and the number of all matches. */
    public record Result<T>(List<T> items, long total) {
    }

    private final EntityManager entityManager;

    public LibraryQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Result<Row> versions(VersionFilter filter, VersionSort sort, boolean descending, int page, int size) {
        StringBuilder where = new StringBuilder();
        Map<String, Object> parameters = new HashMap<>();
        if (filter.functionType() != null) {
            where.append(" and v.functionTypesColumn like :functionType");
            parameters.put("functionType", "%," + filter.functionType().name() + ",%");
        }
        if (filter.state() != null) {
            where.append(" and v.state = :state");
            parameters.put("state", filter.state());
        }
        if (filter.license() != null) {
            where.append(" and lower(v.license) = :license");
            parameters.put("license", filter.license().toLowerCase(Locale.ROOT));
        }
        if (filter.registry() != null) {
            where.append(" and v.registry = :registry");
            parameters.put("registry", filter.registry());
        }
        if (filter.digest() != null) {
            where.append(" and v.digest = :digest");
            parameters.put("digest", filter.digest());
        }
        if (filter.text() != null) {
            where.append(" and (lower(v.modelName) like :text or lower(v.version) like :text)");
            parameters.put("text", "%" + escapeLike(filter.text().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.flagged() != null) {
            where.append(" and v.flagged = :flagged");
            parameters.put("flagged", filter.flagged());
        }
        // Every filter reads the version alone; the model is joined only to show the rows of the page.
        TypedQuery<Long> count = entityManager.createQuery("select count(v) from ModelVersion v where 1 = 1" + where,
                Long.class);
        String direction = descending ? " desc" : " asc";
        // The id breaks ties, so paging never repeats or skips a version.
        TypedQuery<Object[]> select = entityManager
                .createQuery("select v, m from ModelVersion v, Model m where m.id = v.modelId" + where
                        + " order by " + sort.column
                        + direction + (sort.nullable ? " nulls last" : "") + ", v.id" + direction, Object[].class);
        parameters.forEach((name, value) -> {
            count.setParameter(name, value);
            select.setParameter(name, value);
        });
        List<Row> rows = new ArrayList<>();
        for (Object[] row : select.setFirstResult(page * size).setMaxResults(size).getResultList()) {
            rows.add(new Row((ModelVersion) row[0], (Model) row[1]));
        }
        return new Result<>(rows, count.getSingleResult());
    }

    public Result<Model> models(FunctionType functionType, String text, int page, int size) {
        StringBuilder where = new StringBuilder(" from Model m where 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (functionType != null) {
            where.append(" and m.functionTypesColumn like :functionType");
            parameters.put("functionType", "%," + functionType.name() + ",%");
        }
        if (text != null) {
            where.append(" and (lower(m.name) like :text or lower(m.description) like :text)");
            parameters.put("text", "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%");
        }
        TypedQuery<Long> count = entityManager.createQuery("select count(m)" + where, Long.class);
        TypedQuery<Model> select = entityManager.createQuery("select m" + where + " order by m.name", Model.class);
        parameters.forEach((name, value) -> {
            count.setParameter(name, value);
            select.setParameter(name, value);
        });
        return new Result<>(select.setFirstResult(page * size).setMaxResults(size).getResultList(),
                count.getSingleResult());
    }

    public List<ModelVersion> versionsOf(UUID modelId) {
        return entityManager.createQuery("from ModelVersion v where v.modelId = :model order by v.discoveredAt desc",
                ModelVersion.class).setParameter("model", modelId).getResultList();
    }

    /** Searches for text, not patterns: {@code %} and {@code _} typed by a user match themselves. */
    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
