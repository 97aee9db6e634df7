package io.modelgate.approval.api;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelgate.approval.config.ApprovalConfig;
import io.modelgate.platform.problem.ProblemException;

/** Checks page parameters against the configured limit, so no caller can ask for the whole library at once. */
@ApplicationScoped
public class Paging {

    private final ApprovalConfig config;

    public Paging(ApprovalConfig config) {
        this.config = config;
    }

    public void check(int page, int size) {
        if (page < 0) {
            throw ProblemException.badRequest("page must not be negative: " + page);
        }
        if (size < 1 || size > config.maxPageSize()) {
            throw ProblemException.badRequest("size must be between 1 and " + config.maxPageSize() + ": " + size);
        }
        // The offset is an int in the query: a page beyond it would overflow into a negative offset.
        if ((long) page * size > Integer.MAX_VALUE) {
            throw ProblemException.badRequest("page " + page + " is beyond the last page there can be");
        }
    }
}
