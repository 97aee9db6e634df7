#!/usr/bin/env bash
# Added latency of the proxy against calling the upstream directly, with nginx proxy_pass beside it as the floor.
# Sizes: BENCH_RATE (1000 req/s), BENCH_SECONDS (15), BENCH_MAX_RATE (2000 req/s).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/sbin/nginx ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx-light
fi
./mvnw -B -q package -pl services/inference-proxy -DskipTests
./mvnw -B -q -pl services/inference-proxy test-compile exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.modelgate.inferenceproxy.bench.ProxyBenchmark \
  -Dbench.rate="${BENCH_RATE:-1000}" -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.max-rate="${BENCH_MAX_RATE:-2000}" \
  -Dbench.proxy-jar="$PWD/services/inference-proxy/target/quarkus-app/quarkus-run.jar"
