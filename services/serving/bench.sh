#!/usr/bin/env bash
# Prints serving's figures against the fabric8 mock API server, real Kafka and PostgreSQL (ServingBenchmark): deploy
# request -> InferenceService written (p50/p99), status Ready -> ServiceRegistered on Kafka (p50/p99), and a full
# resync of 1,000 InferenceServices (cold: all to announce; warm: nothing changed).
set -euo pipefail
mkdir -p "$(dirname "$0")/target"
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/serving -Dtest=ServingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs > "services/serving/target/bench.log" 2>&1 \
  || { tail -60 services/serving/target/bench.log; exit 1; }
grep '^BENCH' services/serving/target/bench.log
