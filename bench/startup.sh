#!/usr/bin/env bash
# Prints each service's time to ready and resident memory, each started alone against running Kafka and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dmodelgate.root="$PWD" -Dbench.runs="${BENCH_RUNS:-3}" \
  -cp "infra/local-stack/target/classes:$(cat infra/local-stack/target/runtime-classpath.txt)" \
  io.modelgate.localstack.StartupBenchmark
