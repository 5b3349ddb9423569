#!/usr/bin/env bash
# Installs the chart test tools into .tools/ (git-ignored): helm, built from
# source through the Go module proxy, and a Python venv with kubernetes-validate
# and checkov. Idempotent: a tool already at its pinned version is left alone,
# so every run after the first takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v3.22.0
# helm's own release build tells it the Kubernetes version it was built with
# (client-go v0.37 -> 1.37); `go install` does not, leaving 1.20 as the default
# for lint deprecation checks and .Capabilities. The tests pass --kube-version.
HELM_KUBE_MAJOR=1
HELM_KUBE_MINOR=37
KUBERNETES_VALIDATE_VERSION=1.37.0
CHECKOV_VERSION=3.3.30

TOOLS="$PWD/.tools"
BIN="$TOOLS/bin"
VENV="$TOOLS/venv"
PYTHON_STAMP="$VENV/.skyline-tools"
PYTHON_WANTED="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION checkov==$CHECKOV_VERSION"

fail() {
  echo "install-tools: $1 failed; retry with: $2" >&2
  exit 1
}

mkdir -p "$BIN"

if [[ -x "$BIN/helm" ]] && [[ "$("$BIN/helm" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]]; then
  echo "install-tools: helm $HELM_VERSION already installed"
else
  echo "install-tools: building helm $HELM_VERSION with $(go version | cut -d' ' -f3) (a few minutes the first time)..."
  start=$SECONDS
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=$HELM_KUBE_MAJOR -X $pkg.k8sVersionMinor=$HELM_KUBE_MINOR"
  done
  # CGO off, as in helm's release builds: a static binary that needs no C toolchain.
  GOBIN="$BIN" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
    || fail "helm $HELM_VERSION (go install)" "bash scripts/install-tools.sh"
  echo "install-tools: helm $HELM_VERSION built in $((SECONDS - start)) s"
fi

if [[ -f "$PYTHON_STAMP" ]] && [[ "$(cat "$PYTHON_STAMP")" == "$PYTHON_WANTED" ]]; then
  echo "install-tools: $PYTHON_WANTED already installed"
else
  echo "install-tools: installing $PYTHON_WANTED into .tools/venv..."
  start=$SECONDS
  # A stale stamp must not survive a failed install.
  rm -f "$PYTHON_STAMP"
  [[ -x "$VENV/bin/pip" ]] || python3 -m venv "$VENV" || fail "python venv" "python3 -m venv .tools/venv && bash scripts/install-tools.sh"
  # shellcheck disable=SC2086 # PYTHON_WANTED is a list of requirements
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $PYTHON_WANTED \
    || fail "pip install ($PYTHON_WANTED)" "bash scripts/install-tools.sh"
  echo "$PYTHON_WANTED" > "$PYTHON_STAMP"
  echo "install-tools: python tools installed in $((SECONDS - start)) s"
fi
