#!/usr/bin/env bash
# Prints the scanner's figures: fixture reports parsed per second, the scanner's own work around a scan with a 1 MB
# report, and the answer time of a rescan served from cache (ScannerBenchmark, on real Kafka and PostgreSQL).
set -euo pipefail
mkdir -p "$(dirname "$0")/target"
cd "$(dirname "$0")/../.." && ./mvnw -B -q verify -pl services/scanner -Dtest=ScannerBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs > "services/scanner/target/bench.log" 2>&1 \
  || { tail -60 services/scanner/target/bench.log; exit 1; }
grep '^BENCH' services/scanner/target/bench.log
