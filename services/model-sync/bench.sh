#!/usr/bin/env bash
# Benchmarks of model-sync against real Kafka and PostgreSQL: event -> registered in every reachable target (p99),
# and a reconcile of 1,000 models x 3 targets with nothing to change. Prints the figures (lines starting BENCH).
set -euo pipefail
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/model-sync -Dtest=ModelSyncBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
