#!/usr/bin/env bash
# The runtime benchmark (issue 3 §8): N pods (default 3000) on one virtual node with the in-memory
# provider, against $KUBECONFIG or the local control plane. Prints one table; see docs/benchmark.md.
#
#   scripts/benchmark.sh [N] [--concurrency C] [--workers W] [--quiet-seconds S]
#
# Not a test: it takes several minutes and measures speed, which tests never assert.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { echo "[benchmark] $*" >&2; }

if [ -n "${KUBECONFIG:-}" ]; then
  KCFG=${KUBECONFIG%%:*}
else
  KCFG=$("$ROOT/scripts/control-plane.sh" start | tail -n 1)
fi

if [ ! -d "$HOME/.m2/repository/io/vk4j/vk-runtime" ]; then
  say "installing the modules the benchmark needs (once)"
  (cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am install)
fi

say "kubeconfig: $KCFG"
cd "$ROOT"
exec mvn -B -q -pl examples test-compile exec:exec \
  -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp %classpath io.vk4j.examples.bench.RuntimeBenchmark $KCFG $*"
