#!/usr/bin/env bash
# The node benchmark (issue 13): node processes started as users run them -- the shipped jar, the
# StatefulSet's JVM options -- with thousands of pods, measured from the outside. See docs/benchmark.md.
#
#   scripts/benchmark.sh [SCENARIO...] [--runs R] [--idle-seconds S] [--concurrency C]
#                        [--jvm-options OPTS] [--extra-jvm-options OPTS] [--profile] [--no-build]
#                        [--class-list FILE] [--node-args ARGS]
#                        [--jvm-variant NAME=OPTS]... [--jar-variant NAME=DIR]...
#
#   SCENARIO  N: one node with N pods (fake provider, start delay 0); KxN: K nodes of N pods, one JVM
#             each; KxN:1jvm: the K nodes in one JVM; eci:N: the ECI provider against the emulator.
#             Default: 1000 3000. Runs are interleaved: 1000 3000 1000 3000 ... with --runs 2.
#
# With $KUBECONFIG set it runs against that cluster. Otherwise it starts a PRIVATE etcd and
# kube-apiserver from the local control plane's binaries (scripts/control-plane.sh build), on free
# ports in a temporary directory, and stops exactly those at the end. Logs, class histograms and JFR
# recordings stay in examples/target/benchmark/<time>/, with the report. The node JVMs map a
# class-data sharing archive of the classes in examples/src/main/cds, dumped for the jar they run
# (-Xshare:on: an archive that does not map stops the run), as the image does;
# --class-list FILE writes the classes they loaded, from which that archive is built.
# --jvm-variant compares JVM options on this build; --jar-variant compares builds (DIR holds
# vk4j-virtual-node.jar, optionally its .classlist and the statefulset.yaml whose options it runs with).
#
# Not a test: it takes minutes and measures speed, which tests never assert.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
say() { echo "[benchmark] $*" >&2; }

PRIVATE_DIR=
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vk4j-bench.XXXXXX")
PIDS=()
cleanup() {
  local pid
  trap '' INT TERM
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  [ -n "$PRIVATE_DIR" ] && rm -rf "$PRIVATE_DIR"
  rm -rf "$WORK_DIR"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # a port nothing listens on, from a range the shared control plane does not use
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && \
       ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  say "no free port found"; return 1
}

start_private_control_plane() {
  "$ROOT/scripts/control-plane.sh" install
  "$ROOT/scripts/control-plane.sh" build
  local bin
  bin=$("$ROOT/scripts/control-plane.sh" bin)
  PRIVATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vk4j-bench-cp.XXXXXX")
  local dir=$PRIVATE_DIR etcd_port api_port token
  etcd_port=$(free_port); api_port=$(free_port)
  mkdir -p "$dir/etcd" "$dir/certs"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "$token,admin,admin,system:masters" >"$dir/tokens.csv"
  cat >"$dir/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: vk4j-bench
  cluster: {server: "https://127.0.0.1:$api_port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: vk4j-bench
  context: {cluster: vk4j-bench, user: admin}
current-context: vk4j-bench
KCFG
  say "private control plane in $dir (etcd :$etcd_port, kube-apiserver :$api_port)"
  etcd --data-dir "$dir/etcd" --name bench --quota-backend-bytes=4294967296 \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
    --initial-cluster "bench=http://127.0.0.1:$((etcd_port + 1))" >"$dir/etcd.log" 2>&1 &
  PIDS+=($!)
  "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 \
    --cert-dir="$dir/certs" --service-account-key-file="$dir/sa.pub" \
    --service-account-signing-key-file="$dir/sa.key" --service-account-issuer=https://kubernetes.default.svc \
    --token-auth-file="$dir/tokens.csv" --authorization-mode=RBAC --service-cluster-ip-range=10.0.0.0/24 \
    --max-requests-inflight=2000 --max-mutating-requests-inflight=1000 >"$dir/kube-apiserver.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do
    curl -ksf --max-time 5 -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1 \
      && { KCFG=$dir/kubeconfig; return 0; }
    sleep 0.5
  done
  say "the private kube-apiserver did not become ready; log: $dir/kube-apiserver.log"
  tail -20 "$dir/kube-apiserver.log" >&2
  return 1
}

if [ -n "${KUBECONFIG:-}" ]; then
  KCFG=${KUBECONFIG%%:*}
else
  start_private_control_plane
fi

args=()
build=true
for arg in "$@"; do
  if [ "$arg" = --no-build ]; then build=false; else args+=("$arg"); fi
done
if $build; then
  say "building the shipped jar and the benchmark (reactor build, nothing installed)"
  (cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package)
fi
# Run from private copies: a build while the benchmark runs would otherwise replace jars under it.
# -p: the class-data sharing archive checks the jar's size and time
cp -p "$ROOT/examples/target/vk4j-virtual-node.jar" "$ROOT/vk-eci-emulator/target/vk-eci-emulator.jar" "$WORK_DIR/"
cds_args=()
if [ -f "$ROOT/examples/target/vk4j-virtual-node.classlist" ]; then
  cp -p "$ROOT/examples/target/vk4j-virtual-node.classlist" "$WORK_DIR/"
  cds_args=(--cds-class-list "$WORK_DIR/vk4j-virtual-node.classlist")
fi
cp -r "$ROOT/examples/target/test-classes" "$WORK_DIR/test-classes"
cp -r "$ROOT/vk-testkit/target/classes" "$WORK_DIR/testkit-classes"

RESULTS=$ROOT/examples/target/benchmark/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
pid_args=()
for pid in ${PIDS[@]+"${PIDS[@]}"}; do pid_args+=(--control-plane-pid "$pid"); done
say "kubeconfig $KCFG; results in $RESULTS"
java -Xmx1g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$WORK_DIR/vk4j-virtual-node.jar:$WORK_DIR/test-classes:$WORK_DIR/testkit-classes" \
  io.vk4j.examples.bench.NodeBenchmark --kubeconfig "$KCFG" --jar "$WORK_DIR/vk4j-virtual-node.jar" \
  --test-classes "$WORK_DIR/test-classes" --emulator-jar "$WORK_DIR/vk-eci-emulator.jar" \
  --statefulset "$ROOT/examples/deploy/base/statefulset.yaml" --results "$RESULTS" \
  --label "at commit $commit" ${pid_args[@]+"${pid_args[@]}"} ${cds_args[@]+"${cds_args[@]}"} ${args[@]+"${args[@]}"} | tee "$RESULTS/report.txt"
exit "${PIPESTATUS[0]}"
