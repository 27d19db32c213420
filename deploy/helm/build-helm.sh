#!/usr/bin/env bash
# Builds `helm` from its Go module for the version pinned in ./helm-version and caches the
# binary outside the checkout:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/helm/<version>/bin/helm
#
# The chart test renders deploy/helm/claude-k8s-agents with a real helm and runs `helm
# lint`; no registry here ships one, but the Go module proxy is reachable. Operators use
# their own helm: this build is only for the tests.
#
# Usage: build-helm.sh [--force] [--print-bin]
#   --force      rebuild even if the cached binary exists
#   --print-bin  print the path of the cached binary and exit (builds nothing)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' < "$here/helm-version")"
if [[ ! "$version" =~ ^v3\.[0-9]+\.[0-9]+$ ]]; then
  echo "helm build: $here/helm-version must hold a Helm 3 release like v3.22.1, got '$version'" >&2
  exit 2
fi

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/helm/$version"
bin="$cache_root/bin/helm"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --print-bin) echo "$bin"; exit 0 ;;
    *) echo "helm build: unknown argument '$arg' (known: --force --print-bin)" >&2; exit 2 ;;
  esac
done

log() { printf '[helm build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -x "$bin" && $force == 0 ]]; then
  log "cached: $bin"
  exit 0
fi

if ! command -v go > /dev/null 2>&1; then
  if [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
  else
    echo "helm build: Go is not installed. Install Go (https://go.dev/dl/) and put it on PATH," >&2
    echo "            or put a helm $version binary at $bin." >&2
    exit 127
  fi
fi
export GOTOOLCHAIN=local CGO_ENABLED=0
# A build cache of our own, deleted after a successful build (worth nothing once the binary
# is cached); downloaded modules stay in the shared module cache.
export GOCACHE="$cache_root/go-build"

mkdir -p "$cache_root/bin"
exec 9> "$cache_root/.build.lock"
if ! flock -n 9; then
  log "another build of helm $version is running; waiting for it"
  flock 9
  if [[ -x "$bin" && $force == 0 ]]; then log "cached: $bin"; exit 0; fi
fi

started=$(date +%s)
blog="$cache_root/build.log"
log "building helm $version from helm.sh/helm/v3/cmd/helm (Go module proxy: $(go env GOPROXY))"
# `go install pkg@version` builds with helm's own go.mod (its exact dependency versions).
# `go build -v` names each compiled package: counting them is the progress meter.
tmp_bin="$cache_root/.gobin"
rm -rf "$tmp_bin"
(GOBIN="$tmp_bin" go install -v -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
  "helm.sh/helm/v3/cmd/helm@$version") > "$blog" 2>&1 &
pid=$!
while kill -0 "$pid" 2> /dev/null; do
  sleep 15
  kill -0 "$pid" 2> /dev/null || break
  log "  $(($(date +%s) - started))s, $(grep -c '^[a-z]' "$blog" 2> /dev/null || true) packages compiled"
done
if ! wait "$pid"; then
  tail -n 30 "$blog" >&2
  echo "helm build: building helm $version failed; full log: $blog" >&2
  exit 1
fi
mv -f "$tmp_bin/helm" "$bin"
rm -rf "$tmp_bin" "$GOCACHE"
seconds=$(($(date +%s) - started))
printf '{"helm":"%s","go":"%s","builtAt":"%s","seconds":%d}\n' \
  "$version" "$(go env GOVERSION)" "$(date -u +%FT%TZ)" "$seconds" > "$cache_root/bin/build-info.json"
log "built helm $version in ${seconds}s: $bin"
