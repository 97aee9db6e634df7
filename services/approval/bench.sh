#!/usr/bin/env bash
# Runs the approval benchmark (ScanCompleted throughput, browse latency with 10,000 versions) and prints its figures.
set -euo pipefail
# Tracing is on in the tests (to assert the trace of an image) but off here, as in every figure measured before it was.
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/approval -Dtest=ApprovalBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dquarkus.otel.sdk.disabled=true
