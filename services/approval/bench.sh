#!/usr/bin/env bash
# Runs the approval benchmark (ScanCompleted throughput, browse latency with 10,000 versions) and prints its figures.
set -euo pipefail
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/approval -Dtest=ApprovalBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
