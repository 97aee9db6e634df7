package io.modelgate.registrysync.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.modelgate.platform.problem.ProblemException;
import io.modelgate.registrysync.persistence.ConnectionRepository;
import io.modelgate.registrysync.persistence.RuleRepository;

/** Administers repository rules; a rule is compiled before it is stored, so a stored rule always compiles. */
@ApplicationScoped
public class Rules {

    /** What an administrator sets on a rule. */
    public record Definition(String name, RepositoryRule.RepositoryMatch repositoryMatch, String repository,
            RepositoryRule.TagFilter tagFilter, String tagValue, List<String> excludes,
            Map<String, String> requiredLabels, List<String> platforms, boolean enabled) {
    }

    private final RuleRepository rules;
    private final ConnectionRepository connections;

    public Rules(RuleRepository rules, ConnectionRepository connections) {
        this.rules = rules;
        this.connections = connections;
    }

    /** A rule not stored, compiled for a preview; 400 naming each problem. */
    public CompiledRule draft(UUID connectionId, Definition definition) {
        RepositoryRule rule = new RepositoryRule();
        rule.id = null;
        rule.connectionId = connectionId;
        apply(rule, definition);
        return compile(rule);
    }

    @Transactional
    public RepositoryRule create(UUID connectionId, Definition definition) {
        requireConnection(connectionId);
        if (rules.nameTaken(connectionId, definition.name().trim(), null)) {
            throw ProblemException.conflict("The connection has a rule named " + definition.name() + " already");
        }
        RepositoryRule rule = new RepositoryRule();
        rule.id = UUID.randomUUID();
        rule.connectionId = connectionId;
        rule.createdAt = Instant.now();
        apply(rule, definition);
        compile(rule);
        rules.persist(rule);
        return rule;
    }

    @Transactional
    public RepositoryRule update(UUID connectionId, UUID ruleId, Definition definition) {
        RepositoryRule rule = get(connectionId, ruleId);
        if (rules.nameTaken(connectionId, definition.name().trim(), ruleId)) {
            throw ProblemException.conflict("The connection has a rule named " + definition.name() + " already");
        }
        apply(rule, definition);
        compile(rule);
        return rule;
    }

    @Transactional
    public void delete(UUID connectionId, UUID ruleId) {
        rules.delete(get(connectionId, ruleId));
    }

    public RepositoryRule get(UUID connectionId, UUID ruleId) {
        RepositoryRule rule = rules.findById(ruleId);
        if (rule == null || !rule.connectionId.equals(connectionId)) {
            throw ProblemException.notFound("No rule " + ruleId + " on connection " + connectionId);
        }
        return rule;
    }

    public RegistryConnection requireConnection(UUID connectionId) {
        RegistryConnection connection = connections.findById(connectionId);
        if (connection == null) {
            throw ProblemException.notFound("No registry connection " + connectionId);
        }
        return connection;
    }

    private static CompiledRule compile(RepositoryRule rule) {
        try {
            return CompiledRule.compile(rule);
        } catch (CompiledRule.InvalidRuleException e) {
            throw new ProblemException(400, "Bad Request", "The rule is invalid: " + e.getMessage(), e.errors());
        }
    }

    private static void apply(RepositoryRule rule, Definition d) {
        rule.name = d.name().trim();
        rule.repositoryMatch = d.repositoryMatch();
        rule.repository = d.repository();
        rule.tagFilter = d.tagFilter() == null ? RepositoryRule.TagFilter.ALL : d.tagFilter();
        rule.tagValue = d.tagValue();
        rule.excludes = d.excludes() == null ? List.of() : List.copyOf(d.excludes());
        rule.requiredLabels = d.requiredLabels() == null ? Map.of() : Map.copyOf(d.requiredLabels());
        rule.platforms = d.platforms() == null ? List.of() : List.copyOf(d.platforms());
        rule.enabled = d.enabled();
        rule.updatedAt = Instant.now();
    }
}
