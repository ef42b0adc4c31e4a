#!/usr/bin/env bash
# Runs every test of vk4j, integration tests on a real Kubernetes control plane included.
# On a fresh Debian machine with JDK 17 and Maven it installs what the tests need (Debian's Go, etcd,
# kubectl), builds kube-apiserver, kube-scheduler and kube-controller-manager once into ~/.cache/vk4j,
# starts them on loopback for the run and stops them afterwards.
# With $KUBECONFIG set, the tests use that cluster instead (for example a kind cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${KUBECONFIG:-}" ]; then
  scripts/control-plane.sh install
  if ! scripts/control-plane.sh running; then
    trap 'scripts/control-plane.sh stop' EXIT
  fi
  KUBECONFIG=$(scripts/control-plane.sh start)
  export KUBECONFIG
fi

mvn -B -ntp verify "$@"
