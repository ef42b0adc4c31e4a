#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for vk4j's integration tests:
# etcd + kube-apiserver + kube-scheduler + kube-controller-manager.
#
#   scripts/control-plane.sh install   apt packages (golang, etcd, kubectl, rsync, openssl)
#   scripts/control-plane.sh build     build the three binaries once into the cache (keyed by version)
#   scripts/control-plane.sh start     install + build if needed, then start everything; prints the kubeconfig path
#   scripts/control-plane.sh stop      stop exactly the processes that start launched (by PID file)
#   scripts/control-plane.sh status    exit 0 when the API server answers /readyz
#   scripts/control-plane.sh running   exit 0 when the API server that start launched is alive (ready or not)
#   scripts/control-plane.sh bin       print the directory of the cached binaries
#
# Environment:
#   VK4J_CACHE     binary cache (default ~/.cache/vk4j)
#   VK4J_CP_DIR    run directory: data, certs, logs, PID files, kubeconfig (default /tmp/vk4j-control-plane)
#   VK4J_CP_PORT   API server secure port (default 6443); VK4J_ETCD_PORT etcd client port (default 2379)
#
# Like a real cluster, the API server authenticates to kubelets with a client certificate
# (CN=kube-apiserver-kubelet-client, bound to the ClusterRole system:kubelet-api-admin): its CA is
# $VK4J_CP_DIR/kubelet-client-ca.crt, which virtual nodes get as --client-ca-file.
set -euo pipefail

K8S_VERSION=1.20.2
CACHE=${VK4J_CACHE:-$HOME/.cache/vk4j}
# reflect2 1.0.1, which Kubernetes 1.20 vendors, crashes programs built with Go >= 1.18 ("fatal error: fault"
# while json-iterator walks a map, e.g. in the API server's admission webhook path); Debian's 1.0.2 replaces it.
BUILD_ID=$K8S_VERSION-reflect2-1.0.2
BIN=$CACHE/kubernetes-$BUILD_ID/bin
REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
RUN=${VK4J_CP_DIR:-/tmp/vk4j-control-plane}
PORT=${VK4J_CP_PORT:-6443}
ETCD_PORT=${VK4J_ETCD_PORT:-2379}
ETCD_PEER_PORT=$((ETCD_PORT + 1))
COMPONENTS="kube-apiserver kube-scheduler kube-controller-manager"

log() { echo "[control-plane] $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  command -v go >/dev/null || missing+=(golang-go)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v kubectl >/dev/null || missing+=(kubernetes-client)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  [ -f "$REFLECT2_SRC/go_above_118.go" ] || missing+=(golang-github-modern-go-reflect2-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

enable_source_lists() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -f "$f" ] && ! grep -q 'deb-src' "$f"; then
    as_root sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
  elif [ ! -f "$f" ] && ! grep -rqs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | as_root tee /etc/apt/sources.list.d/vk4j-src.list >/dev/null
  fi
  as_root apt-get update -qq
}

build() {
  local b
  for b in $COMPONENTS; do [ -x "$BIN/$b" ] || break; b=; done
  if [ -z "${b:-}" ]; then log "binaries cached in $BIN"; return 0; fi
  install_packages
  enable_source_lists
  local work; work=$(mktemp -d "${TMPDIR:-/tmp}/vk4j-k8s-build.XXXXXX")
  log "building kubernetes $BUILD_ID in $work (several minutes, once)"
  ( cd "$work" && apt-get source --download-only kubernetes >/dev/null 2>&1 )
  local tarball; tarball=$(ls "$work"/kubernetes_*.orig.tar.gz | head -1)
  tar -xzf "$tarball" -C "$work"
  local src; src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)
  rm -f "$src"/vendor/github.com/modern-go/reflect2/*.go "$src"/vendor/github.com/modern-go/reflect2/*.s
  cp "$REFLECT2_SRC"/*.go "$REFLECT2_SRC"/*.s "$src/vendor/github.com/modern-go/reflect2/"
  mkdir -p "$src/.go/src/k8s.io" "$work/home"
  ln -sfn ../../.. "$src/.go/src/k8s.io/kubernetes"
  ( cd "$src" && GOPATH="$src/.go" CGO_ENABLED=0 HOME="$work/home" \
      make WHAT="cmd/kube-apiserver cmd/kube-scheduler cmd/kube-controller-manager" >"$work/build.log" 2>&1 ) \
    || { tail -40 "$work/build.log" >&2; log "build failed; log in $work/build.log"; return 1; }
  mkdir -p "$BIN.tmp"
  for b in $COMPONENTS; do cp "$src/_output/local/bin/linux/amd64/$b" "$BIN.tmp/"; done
  rm -rf "$BIN" && mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  log "binaries cached in $BIN"
}

ready() { curl -ksf --max-time 10 -H "Authorization: Bearer $(cat "$RUN/token" 2>/dev/null)" "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  local i
  for ((i = 0; i < limit * 2; i++)); do "$@" && return 0; sleep 0.5; done
  log "timed out waiting for $what; logs in $RUN/*.log"; return 1
}

spawn() { # spawn NAME COMMAND...
  local name=$1; shift
  nohup "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

default_sa_exists() {
  kubectl --kubeconfig "$RUN/kubeconfig" -n default get serviceaccount default >/dev/null 2>&1
}

alive() { # alive NAME: the process start launched under NAME still runs
  local pid
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$1"
}

# The CA that signs the API server's kubelet client certificate, and that certificate.
kubelet_client_certificate() {
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -days 3650 -subj "/CN=vk4j-kubelet-client-ca" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$RUN/kubelet-client-ca.key" -out "$RUN/kubelet-client-ca.crt" 2>/dev/null
  openssl req "${ec[@]}" -subj "/CN=kube-apiserver-kubelet-client" \
    -keyout "$RUN/kubelet-client.key" -out "$RUN/kubelet-client.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
    >"$RUN/kubelet-client.ext"
  openssl x509 -req -in "$RUN/kubelet-client.csr" -CA "$RUN/kubelet-client-ca.crt" -CAkey "$RUN/kubelet-client-ca.key" \
    -CAcreateserial -days 3650 -extfile "$RUN/kubelet-client.ext" -out "$RUN/kubelet-client.crt" 2>/dev/null
  rm -f "$RUN/kubelet-client.csr" "$RUN/kubelet-client.ext"
}

kubelet_client_bound() {
  kubectl --kubeconfig "$RUN/kubeconfig" get clusterrolebinding vk4j-kube-apiserver-kubelet-client >/dev/null 2>&1 ||
    kubectl --kubeconfig "$RUN/kubeconfig" create clusterrolebinding vk4j-kube-apiserver-kubelet-client \
      --clusterrole=system:kubelet-api-admin --user=kube-apiserver-kubelet-client >/dev/null 2>&1
}

start() {
  # A control plane of an older version of this script has no kubelet client certificate: replace it.
  if alive kube-apiserver && [ ! -f "$RUN/kubelet-client-ca.crt" ]; then
    log "the running control plane has no kubelet client certificate; restarting it"
    stop_processes
  fi
  # A loaded machine can make a live API server slow to answer: never restart one that runs.
  if alive kube-apiserver && alive etcd; then
    wait_for 300 "the running kube-apiserver" ready
    log "already running"; echo "$RUN/kubeconfig"; return 0
  fi
  if ready; then log "already running"; echo "$RUN/kubeconfig"; return 0; fi
  install_packages
  build
  stop_processes
  rm -rf "$RUN"; mkdir -p "$RUN/etcd" "$RUN/certs"
  openssl genrsa -out "$RUN/sa.key" 2048 2>/dev/null
  openssl rsa -in "$RUN/sa.key" -pubout -out "$RUN/sa.pub" 2>/dev/null
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUN/token"
  echo "$(cat "$RUN/token"),admin,admin,system:masters" >"$RUN/tokens.csv"
  kubelet_client_certificate
  cat >"$RUN/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: vk4j-local
  cluster:
    server: https://127.0.0.1:$PORT
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $(cat "$RUN/token")
contexts:
- name: vk4j-local
  context: {cluster: vk4j-local, user: admin}
current-context: vk4j-local
KCFG
  spawn etcd etcd --data-dir "$RUN/etcd" --name vk4j \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "vk4j=http://127.0.0.1:$ETCD_PEER_PORT"
  spawn kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$PORT" --insecure-port=0 \
    --cert-dir="$RUN/certs" --service-account-key-file="$RUN/sa.pub" \
    --service-account-signing-key-file="$RUN/sa.key" --service-account-issuer=https://kubernetes.default.svc \
    --token-auth-file="$RUN/tokens.csv" --authorization-mode=RBAC --service-cluster-ip-range=10.0.0.0/24 \
    --max-requests-inflight=2000 --max-mutating-requests-inflight=1000 \
    --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname \
    --kubelet-client-certificate="$RUN/kubelet-client.crt" --kubelet-client-key="$RUN/kubelet-client.key"
  wait_for 120 "kube-apiserver /readyz" ready
  wait_for 60 "the kubelet client's ClusterRoleBinding" kubelet_client_bound
  # --secure-port=0 on the scheduler and controller manager: their default ports 10257/10259 would keep a
  # second control plane on the same machine, with its own VK4J_CP_PORT, from starting.
  spawn kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$RUN/kubeconfig" \
    --service-account-private-key-file="$RUN/sa.key" --controllers='*,-nodeipam,-cloud-node-lifecycle' \
    --leader-elect=false --bind-address=127.0.0.1 --port=0 --secure-port=0 --kube-api-qps=200 --kube-api-burst=400
  spawn kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$RUN/kubeconfig" --leader-elect=false \
    --bind-address=127.0.0.1 --port=0 --secure-port=0 --kube-api-qps=200 --kube-api-burst=400
  wait_for 120 "the default service account" default_sa_exists
  log "ready: KUBECONFIG=$RUN/kubeconfig"
  echo "$RUN/kubeconfig"
}

stop_processes() {
  local name pid i
  for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$RUN/$name.pid" ] || continue
    pid=$(cat "$RUN/$name.pid")
    # A stale PID file may name a process that reused the PID: only stop what runs our binary.
    if alive "$name"; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
  done
}

case "${1:-}" in
  install) install_packages ;;
  build) build ;;
  start) start ;;
  stop) stop_processes; log "stopped" ;;
  status) ready ;;
  running) alive kube-apiserver ;;
  bin) echo "$BIN" ;;
  *) sed -n '2,21p' "$0" >&2; exit 2 ;;
esac
