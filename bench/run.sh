#!/usr/bin/env bash
# Prints the spine's figures: sustained events/s and end-to-end latency percentiles (outbox → Kafka → inbox + write).
# Sizes: BENCH_EVENTS (default 20000), BENCH_RATE (200 events/s offered), BENCH_SECONDS (20).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests -pl bench -am
exec java -Xmx2g -Dbench.events="${BENCH_EVENTS:-20000}" -Dbench.rate="${BENCH_RATE:-200}" \
  -Dbench.seconds="${BENCH_SECONDS:-20}" -jar bench/target/quarkus-app/quarkus-run.jar
