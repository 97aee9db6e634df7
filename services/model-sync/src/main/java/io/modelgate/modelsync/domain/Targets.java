package io.modelgate.modelsync.domain;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.postgresql.Driver;

import io.modelgate.modelsync.persistence.SyncTargetRepository;
import io.modelgate.platform.problem.ProblemException;

/** Registers, changes and removes target databases, checking their settings and encrypting their passwords. */
@ApplicationScoped
public class Targets {

    /**
     * Driver parameters refused in a target's URL: credentials belong in their own encrypted fields (a URL is returned
     * by the API), and these pgjdbc parameters load classes or write files chosen by whoever sets the URL.
     */
    private static final Set<String> FORBIDDEN_PARAMETERS = Set.of("user", "password", "socketfactory",
            "socketfactoryarg", "sslfactory", "sslfactoryarg", "sslhostnameverifier", "sslpasswordcallback",
            "sslpassword", "authenticationpluginclassname", "loggerfile", "loggerlevel");

    private final SyncTargetRepository targets;
    private final CredentialCipher cipher;

    public Targets(SyncTargetRepository targets, CredentialCipher cipher) {
        this.targets = targets;
        this.cipher = cipher;
    }

    @Transactional
    public SyncTarget create(TargetSettings settings) {
        validate(settings);
        if (targets.findByName(settings.name()).isPresent()) {
            throw ProblemException.conflict("A target named " + settings.name() + " already exists");
        }
        SyncTarget target = new SyncTarget();
        target.id = UUID.randomUUID();
        target.createdAt = Instant.now();
        apply(target, settings);
        targets.persist(target);
        flush(settings.name());
        return target;
    }

    @Transactional
    public SyncTarget update(UUID id, TargetSettings settings) {
        SyncTarget target = get(id);
        validate(settings);
        targets.findByName(settings.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw ProblemException.conflict("A target named " + settings.name() + " already exists");
        });
        if (settings.password() == null && target.passwordCipher != null && !sameLogin(target, settings)) {
            // Otherwise whoever may edit targets could send the stored password to a server of their choosing.
            throw ProblemException.badRequest("Changing the host, port, database or username of a target needs its"
                    + " password again: send password (or \"\" for none)");
        }
        if (!target.jdbcUrl.equals(settings.jdbcUrl())) {
            // Another database: what was read from the old one's catalog no longer applies.
            target.credentialSupport = null;
            target.catalogCheckedAt = null;
        }
        apply(target, settings);
        flush(settings.name());
        return target;
    }

    /** Whether the stored password would still go to the same server, database and user. */
    private static boolean sameLogin(SyncTarget target, TargetSettings settings) {
        Properties before = Driver.parseURL(target.jdbcUrl, null);
        Properties after = Driver.parseURL(settings.jdbcUrl(), null);
        return before != null && after != null && target.username.equals(settings.username())
                && Objects.equals(before.getProperty("PGHOST"), after.getProperty("PGHOST"))
                && Objects.equals(before.getProperty("PGPORT"), after.getProperty("PGPORT"))
                && Objects.equals(before.getProperty("PGDBNAME"), after.getProperty("PGDBNAME"));
    }

    /**
     * Writes now, so that a name taken by a concurrent request since the check above is a 409, not a failed commit.
     */
    private void flush(String name) {
        try {
            targets.flush();
        } catch (PersistenceException e) {
            if (uniqueViolation(e)) {
                throw ProblemException.conflict("A target named " + name + " already exists");
            }
            throw e;
        }
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Removes the target; its AIDB models stay where they are (a later target on that database adopts them). */
    @Transactional
    public void delete(UUID id) {
        targets.delete(get(id));
    }

    public SyncTarget get(UUID id) {
        return targets.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("No target " + id));
    }

    public List<SyncTarget> list() {
        return targets.listByName();
    }

    private void apply(SyncTarget target, TargetSettings settings) {
        target.name = settings.name();
        target.jdbcUrl = settings.jdbcUrl();
        target.username = settings.username();
        if (settings.password() != null) {
            target.passwordCipher = settings.password().isEmpty()
                    ? null
                    : cipher.encrypt(target.id, settings.password());
        }
        target.location = settings.location();
        target.reachable = settings.reachable();
        target.enabled = settings.enabled();
        target.updatedAt = Instant.now();
    }

    static void validate(TargetSettings settings) {
        Properties parsed = Driver.parseURL(settings.jdbcUrl(), null);
        if (!settings.jdbcUrl().startsWith("jdbc:postgresql://") || parsed == null) {
            throw ProblemException.badRequest("jdbcUrl must be a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://host:5432/database");
        }
        if (parsed.getProperty("PGDBNAME", "").isBlank()) {
            throw ProblemException.badRequest("jdbcUrl must name the database, e.g. jdbc:postgresql://host:5432/app");
        }
        for (String key : parsed.stringPropertyNames()) {
            if (FORBIDDEN_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                throw ProblemException.badRequest("jdbcUrl must not set the driver parameter " + key
                        + "; credentials go in username and password, and class-loading parameters are refused");
            }
        }
    }
}
