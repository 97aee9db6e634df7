package io.modelgate.events;

/** How serving runs an inference service; model-sync registers both kinds in AIDB alike. */
public enum ServiceKind {
    /** A KServe InferenceService running the approved image in the cluster. */
    KSERVE,
    /** An external provider reached through the managed inference proxy. */
    EXTERNAL
}
