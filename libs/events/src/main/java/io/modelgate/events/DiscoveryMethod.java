package io.modelgate.events;

/** How registry-sync learned about an image; tells scanner and operators whether a push was seen live. */
public enum DiscoveryMethod {
    /** Found by a scheduled poll of the registry. */
    POLL,
    /** Reported by a registry webhook. */
    WEBHOOK,
    /** Requested by an operator through the API. */
    MANUAL
}
