package io.modelgate.modelsync.domain;

/**
 * Which credential arguments a target's {@code aidb.create_model} accepts, read from its catalog and shown on the
 * target. It is reported information only: platform-served models need no provider key in the database, so model-sync
 * registers them with name, provider and config alone on every kind of target.
 */
public enum CredentialSupport {
    /** {@code credential => 'name'} exists: credentials are named objects; a model registered without one uses none. */
    NAMED_CREDENTIAL,
    /**
     * Only {@code credentials} (a {@code PUBLIC} user mapping per provider). model-sync never passes credentials or
     * {@code replace_credentials}, which would rewrite the key users stored for their own models of that provider.
     */
    PROVIDER_USER_MAPPING,
    /** {@code create_model} takes no credentials at all. */
    NONE
}
