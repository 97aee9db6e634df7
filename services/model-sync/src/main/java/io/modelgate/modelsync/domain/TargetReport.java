package io.modelgate.modelsync.domain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass did in one target, gathered off the consumer's thread (target I/O) and recorded by it afterwards:
 * results with a row, counts without one, and the catalog when it was read.
 */
final class TargetReport {

    /** One result row: {@code aidbName} null covers the whole target. */
    record Entry(String aidbName, String serviceId, SyncOutcome outcome, String reason, String referencedBy) {
    }

    final List<Entry> entries = new ArrayList<>();
    final Map<SyncOutcome, Integer> countedOnly = new EnumMap<>(SyncOutcome.class);
    CredentialSupport catalog;

    void add(String aidbName, String serviceId, SyncOutcome outcome, String reason, String referencedBy) {
        entries.add(new Entry(aidbName, serviceId, outcome, reason, referencedBy));
    }

    /** Counts models without a row: the unchanged models of a reconcile, or the rest of a target-wide outcome. */
    void count(SyncOutcome outcome, int count) {
        if (count > 0) {
            countedOnly.merge(outcome, count, Integer::sum);
        }
    }

    /** One target-wide result standing for all {@code models} the pass covered. */
    static TargetReport wholeTarget(String aidbName, String serviceId, int models, SyncOutcome outcome,
            String reason) {
        TargetReport report = new TargetReport();
        report.add(aidbName, serviceId, outcome, reason, null);
        report.count(outcome, models - 1);
        return report;
    }
}
