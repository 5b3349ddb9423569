#!/usr/bin/env bash
# Installs the real peers that the service tests start on 127.0.0.1 (test/helpers/peers.ts):
#   - moto in server mode (a local AWS: Route53, S3, SQS), pip, into the tools venv .tools/venv;
#   - fake-gcs-server (a local GCS), built from the Go module proxy into .tools/bin;
#   - the FinOps Foundation's focus-validator and focus-converter, pip, into their own venv .tools/focus-venv;
#   - Prometheus Alertmanager, Prometheus (+ promtool) and rclone (the replicator benchmark's peer), Debian's packages.
# Azurite (a local Azure Blob/Queue) is an npm dev dependency: npm ci installs it.
# Idempotent: a peer already at its pin is left alone, so every run after the first takes well under a second.
# The Debian services are never started: the tests start their own instances on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."

# moto 5.2.5 supports Python 3.9+ (checked with the 3.11 here). Its [server] extra brings Flask and friends;
# with checkov 3.3.30 in the same venv pip adds packages and upgrades none (`pip check` stays clean).
MOTO_VERSION=5.2.5
# Debian bookworm's: alertmanager 0.25.0, prometheus 2.42.0. Not pinned by version: apt serves only the
# suite's current one, and a pin would break on its next security update.
DEBIAN_PACKAGES=(prometheus-alertmanager prometheus rclone)
DEBIAN_BINARIES=(/usr/bin/prometheus-alertmanager /usr/bin/prometheus /usr/bin/promtool /usr/bin/rclone)
# fake-gcs-server's latest release; a static binary (CGO off).
FAKE_GCS_VERSION=v1.56.1
# focus-validator 1.0.0 (validates FOCUS up to 1.0) and focus-converter 1.0.0, the FinOps Foundation's latest. Both
# break with their dependencies' current majors: pandera 0.17 imports multimethod.overload (removed in multimethod 2)
# and typer 0.9 passes a flag click 8.2 rejects; the two pins below are the newest releases they work with.
# Their own venv: their pandas/polars/pyarrow pins must not move checkov's.
FOCUS_WANTED=(focus-validator==1.0.0 focus-converter==1.0.0 multimethod==1.12 click==8.1.8)

VENV="$PWD/.tools/venv"
MOTO_STAMP="$VENV/.skyline-peers"
MOTO_WANTED="moto[server]==$MOTO_VERSION"

fail() {
  echo "install-peers: $1 failed; retry with: $2" >&2
  exit 1
}

if [[ -f "$MOTO_STAMP" ]] && [[ "$(cat "$MOTO_STAMP")" == "$MOTO_WANTED" ]] && [[ -x "$VENV/bin/moto_server" ]]; then
  echo "install-peers: $MOTO_WANTED already installed"
else
  echo "install-peers: installing $MOTO_WANTED into .tools/venv..."
  start=$SECONDS
  # A stale stamp must not survive a failed install.
  rm -f "$MOTO_STAMP"
  mkdir -p "$PWD/.tools"
  [[ -x "$VENV/bin/pip" ]] || python3 -m venv "$VENV" || fail "python venv" "python3 -m venv .tools/venv && bash scripts/install-peers.sh"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$MOTO_WANTED" \
    || fail "pip install $MOTO_WANTED" "bash scripts/install-peers.sh"
  # The venv is shared with the chart tools (checkov...): say so at once if moto's requirements clash with theirs.
  "$VENV/bin/pip" check --disable-pip-version-check >/dev/null \
    || { "$VENV/bin/pip" check --disable-pip-version-check >&2 || true; fail "pip check after installing $MOTO_WANTED" "bash scripts/install-peers.sh"; }
  echo "$MOTO_WANTED" > "$MOTO_STAMP"
  echo "install-peers: moto installed in $((SECONDS - start)) s"
fi

BIN="$PWD/.tools/bin"
if [[ -x "$BIN/fake-gcs-server" ]] && [[ "$(cat "$BIN/.fake-gcs-server-version" 2>/dev/null)" == "$FAKE_GCS_VERSION" ]]; then
  echo "install-peers: fake-gcs-server $FAKE_GCS_VERSION already installed"
else
  echo "install-peers: building fake-gcs-server $FAKE_GCS_VERSION with $(go version | cut -d' ' -f3) (a few minutes the first time)..."
  start=$SECONDS
  mkdir -p "$BIN"
  rm -f "$BIN/.fake-gcs-server-version"
  GOBIN="$BIN" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION" \
    || fail "fake-gcs-server $FAKE_GCS_VERSION (go install)" "bash scripts/install-peers.sh"
  echo "$FAKE_GCS_VERSION" > "$BIN/.fake-gcs-server-version"
  echo "install-peers: fake-gcs-server built in $((SECONDS - start)) s"
fi

FOCUS_VENV="$PWD/.tools/focus-venv"
FOCUS_STAMP="$FOCUS_VENV/.skyline-peers"
if [[ -f "$FOCUS_STAMP" ]] && [[ "$(cat "$FOCUS_STAMP")" == "${FOCUS_WANTED[*]}" ]] && [[ -x "$FOCUS_VENV/bin/focus-validator" ]]; then
  echo "install-peers: ${FOCUS_WANTED[*]} already installed"
else
  echo "install-peers: installing ${FOCUS_WANTED[*]} into .tools/focus-venv..."
  start=$SECONDS
  rm -f "$FOCUS_STAMP"
  [[ -x "$FOCUS_VENV/bin/pip" ]] || python3 -m venv "$FOCUS_VENV" || fail "python venv" "python3 -m venv .tools/focus-venv && bash scripts/install-peers.sh"
  "$FOCUS_VENV/bin/pip" install --quiet --disable-pip-version-check "${FOCUS_WANTED[@]}" \
    || fail "pip install ${FOCUS_WANTED[*]}" "bash scripts/install-peers.sh"
  "$FOCUS_VENV/bin/pip" check --disable-pip-version-check >/dev/null \
    || { "$FOCUS_VENV/bin/pip" check --disable-pip-version-check >&2 || true; fail "pip check in .tools/focus-venv" "bash scripts/install-peers.sh"; }
  # Both commands must start: a broken import shows up here, not in the middle of a test.
  "$FOCUS_VENV/bin/focus-validator" --supported-versions >/dev/null && "$FOCUS_VENV/bin/focus-converter" --help >/dev/null \
    || fail "focus-validator / focus-converter smoke run" "rm -rf .tools/focus-venv && bash scripts/install-peers.sh"
  echo "${FOCUS_WANTED[*]}" > "$FOCUS_STAMP"
  echo "install-peers: focus tools installed in $((SECONDS - start)) s"
fi

missing=()
for binary in "${DEBIAN_BINARIES[@]}"; do
  [[ -x "$binary" ]] || missing+=("$binary")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-peers: ${DEBIAN_PACKAGES[*]} already installed ($(/usr/bin/prometheus-alertmanager --version 2>&1 | head -n1))"
else
  echo "install-peers: installing ${DEBIAN_PACKAGES[*]} with apt-get (missing: ${missing[*]})..."
  start=$SECONDS
  [[ $(id -u) -eq 0 ]] || fail "apt-get install (needs root)" "sudo bash scripts/install-peers.sh"
  # Their maintainer scripts would start the daemons on 9090/9093. A policy-rc.d that exits 101 tells
  # invoke-rc.d not to; one is put in place for the install only, unless the machine already has its own.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# Temporary, from skyline scripts/install-peers.sh: no service starts during the install.\nexit 101\n' > "$policy"
    chmod 0755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update" "bash scripts/install-peers.sh"
  apt-get install -y -qq --no-install-recommends "${DEBIAN_PACKAGES[@]}" >/dev/null \
    || fail "apt-get install ${DEBIAN_PACKAGES[*]}" "bash scripts/install-peers.sh"
  # Belt and braces on a machine with systemd: keep the packaged services stopped and off at boot.
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now prometheus prometheus-alertmanager >/dev/null 2>&1 || true
  fi
  for binary in "${DEBIAN_BINARIES[@]}"; do
    [[ -x "$binary" ]] || fail "apt-get install ${DEBIAN_PACKAGES[*]}: $binary is still missing" "bash scripts/install-peers.sh"
  done
  echo "install-peers: ${DEBIAN_PACKAGES[*]} installed in $((SECONDS - start)) s"
fi
