#!/usr/bin/env bash
# Prints registry-sync's figures (RegistrySyncBenchmark, on real Kafka, PostgreSQL and distribution registries):
# cold and warm sync of 10,000 tags in 100 repositories, webhook push -> RegistryImageDiscovered on Kafka at 20 pushes/s,
# and skopeo list-tags + inspect over the same listing for comparison. Needs docker-registry and skopeo (Debian).
# Sizes: -Dbench.repositories=100 -Dbench.tags=100 -Dbench.pushes=200 -Dbench.inspectSample=300 (pass as arguments).
set -euo pipefail
mkdir -p "$(dirname "$0")/target"
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/registry-sync -Dtest=RegistrySyncBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs "$@" > "services/registry-sync/target/bench.log" 2>&1 \
  || { tail -80 services/registry-sync/target/bench.log; exit 1; }
grep '^BENCH' services/registry-sync/target/bench.log
