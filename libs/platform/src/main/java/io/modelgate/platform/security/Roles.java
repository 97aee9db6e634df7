package io.modelgate.platform.security;

/** The roles every Modelgate REST API checks, carried in the {@code groups} claim of the caller's JWT. */
public final class Roles {

    /** Read anything. */
    public static final String VIEWER = "modelgate-viewer";
    /** Decide approvals. */
    public static final String APPROVER = "modelgate-approver";
    /** Deploy models and register external services. */
    public static final String OPERATOR = "modelgate-operator";
    /** Manage registries, rules, policies and targets. */
    public static final String ADMIN = "modelgate-admin";

    private Roles() {
    }
}
