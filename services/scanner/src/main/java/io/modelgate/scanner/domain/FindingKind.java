package io.modelgate.scanner.domain;

/** What Trivy found. */
public enum FindingKind {
    VULNERABILITY, SECRET, MISCONFIGURATION
}
