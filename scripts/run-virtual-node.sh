#!/usr/bin/env bash
# Shows vk4j at work: a virtual node with the in-memory provider, and a pod that the real scheduler
# binds to it and that reaches Running.
#
#   scripts/run-virtual-node.sh [--once] [--nodename NAME] [-- MORE VirtualNodeMain FLAGS]
#
# Uses $KUBECONFIG when set, otherwise starts the project's local control plane
# (scripts/control-plane.sh start; it stays up for the next run). Builds
# examples/target/vk4j-virtual-node.jar if it is missing. Then it runs the node in the background,
# waits for it to be Ready, creates a demo pod with the nodeSelector and toleration of the ACK
# documentation (no nodeName: the scheduler binds it), waits for Running, and prints the nodes, the
# pod and the pod's log. It keeps the node running until Ctrl-C; with --once it stops right away
# (exit 0). Either way it deletes the demo pod, stops the node and removes its Node object: only
# what it created.
#
# Environment: VK_NODE_NAME (default vk4j-demo), KUBELET_PORT (default 0: a free port),
# VK4J_RUN_TIMEOUT seconds for each wait (default 120), VK4J_KUBELET_CLIENT_CA the CA of the API
# server's kubelet client certificate (default: the local control plane's kubelet-client-ca.crt,
# beside its kubeconfig), which the node's kubelet API trusts for kubectl logs and exec.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/examples/target/vk4j-virtual-node.jar
NODE=${VK_NODE_NAME:-vk4j-demo}
TIMEOUT=${VK4J_RUN_TIMEOUT:-120}
ONCE=false
EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --once) ONCE=true ;;
    --nodename) NODE=$2; shift ;;
    --nodename=*) NODE=${1#*=} ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-virtual-node: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
POD=$NODE-nginx
NS=default

say() { echo "[run-virtual-node] $*" >&2; }

if [ ! -f "$JAR" ]; then
  say "building $JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests -pl examples -am package)
fi
command -v java >/dev/null || { say "java (17+) is needed"; exit 1; }

if [ -n "${KUBECONFIG:-}" ]; then
  KCFG=$KUBECONFIG
else
  say "no \$KUBECONFIG: starting the local control plane (scripts/control-plane.sh start)"
  KCFG=$("$ROOT/scripts/control-plane.sh" start | tail -n 1)
fi
command -v kubectl >/dev/null || { say "kubectl is needed (scripts/control-plane.sh install provides it)"; exit 1; }
kc() { kubectl --kubeconfig "$KCFG" "$@"; }
CLIENT_CA=${VK4J_KUBELET_CLIENT_CA:-$(dirname "$KCFG")/kubelet-client-ca.crt}
CA_FLAGS=()
[ -f "$CLIENT_CA" ] && CA_FLAGS=(--client-ca-file "$CLIENT_CA")

if kc get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
  say "node $NODE exists and is Ready: another virtual node runs under that name; pick another with --nodename"
  exit 1
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vk4j-run.XXXXXX")
LOG=$RUN_DIR/virtual-node.log
NODE_PID=
TAIL_PID=

cleanup() {
  local status=$?
  trap '' INT TERM
  [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null || true
  if [ -n "$NODE_PID" ]; then
    say "deleting pod $NS/$POD"
    kc -n "$NS" delete pod "$POD" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1 || true
    if kill -0 "$NODE_PID" 2>/dev/null; then
      say "stopping the virtual node (pid $NODE_PID)"
      kill -TERM "$NODE_PID" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 1; done
      kill -0 "$NODE_PID" 2>/dev/null && kill -KILL "$NODE_PID" 2>/dev/null || true
    fi
    wait "$NODE_PID" 2>/dev/null || true
    kc delete node "$NODE" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    say "node log: $LOG"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting virtual node $NODE (provider fake); log: $LOG"
java -jar "$JAR" --provider fake --nodename "$NODE" --kubeconfig "$KCFG" \
  --kubelet-port "${KUBELET_PORT:-0}" ${CA_FLAGS[@]+"${CA_FLAGS[@]}"} ${EXTRA[@]+"${EXTRA[@]}"} >"$LOG" 2>&1 &
NODE_PID=$!

node_ready() {
  kc get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}
pod_running() {
  [ "$(kc -n "$NS" get pod "$POD" -o jsonpath='{.status.phase}' 2>/dev/null)" = Running ]
}
wait_until() { # wait_until DESCRIPTION CHECK
  local what=$1 check=$2 i
  for ((i = 0; i < TIMEOUT * 2; i++)); do
    kill -0 "$NODE_PID" 2>/dev/null || { say "the virtual node exited:"; tail -n 30 "$LOG" >&2; exit 1; }
    "$check" && return 0
    sleep 0.5
  done
  say "timed out after ${TIMEOUT}s waiting for $what; node log:"; tail -n 30 "$LOG" >&2
  exit 1
}

wait_until "node $NODE to be Ready" node_ready
say "node $NODE is Ready"

kc -n "$NS" delete pod "$POD" --ignore-not-found --wait=true --timeout=60s >/dev/null
kc -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $POD
spec:
  containers:
    - image: nginx
      imagePullPolicy: Always
      name: nginx
  nodeSelector:
    type: virtual-kubelet
    kubernetes.io/hostname: $NODE   # this demo's node, not another virtual node of the cluster
  tolerations:
    - key: virtual-kubelet.io/provider
      operator: Exists
YAML
say "created pod $NS/$POD; waiting for the scheduler to bind it and for Running"
wait_until "pod $POD to be Running" pod_running

echo
echo "\$ kubectl get nodes -o wide"
kc get nodes -o wide
echo
echo "\$ kubectl -n $NS get pod $POD -o wide"
kc -n "$NS" get pod "$POD" -o wide
echo
echo "\$ kubectl -n $NS logs $POD"
if ! kc -n "$NS" logs "$POD" --tail=20; then
  # the API server dials the node's Hostname address (or kubernetes.io/hostname label) first unless
  # it runs with --kubelet-preferred-address-types=InternalIP,...; and it must present a client
  # certificate the node trusts (--kubelet-client-certificate, signed by the node's --client-ca-file)
  say "kubectl logs failed: the API server could not reach, or authenticate to, the kubelet API"
  say "(kube-apiserver needs --kubelet-preferred-address-types=InternalIP,Hostname and a"
  say " --kubelet-client-certificate issued by the CA in \$VK4J_KUBELET_CLIENT_CA)"
fi
echo

if $ONCE; then
  say "pod $POD is Running on $NODE (--once: stopping)"
  exit 0
fi
say "the node keeps running; Ctrl-C stops it (and deletes the demo pod)"
tail -n 0 -f "$LOG" &
TAIL_PID=$!
wait "$NODE_PID" || true
say "the virtual node exited on its own; see $LOG"
exit 1
