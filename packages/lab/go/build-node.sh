#!/usr/bin/env bash
# Builds the lab's real node from Go modules and caches it next to the control plane:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/lab/<kubernetes version>/node/
#     bin/   kubelet containerd containerd-shim-runc-v2 ctr runc
#     cni/   bridge host-local loopback portmap
#     bin/lab-pause  the pod sandbox program (./pause, ours: no registry has a pause image here)
#
# Versions: the kubelet is the control plane's release (./kubernetes-version); containerd,
# runc and the CNI plugins are pinned in ./node-versions. runc is built with cgo and
# seccomp (Debian's libseccomp-dev); everything else is static Go (CGO_ENABLED=0).
#
# Usage: build-node.sh [--force] [--keep-go-cache] [--print-dir]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' < "$here/kubernetes-version")"
if [[ ! "$version" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "lab node build: $here/kubernetes-version must hold a release like v1.37.1, got '$version'" >&2
  exit 2
fi
minor="${BASH_REMATCH[1]}"
staging_version="v0.${minor}.${BASH_REMATCH[2]}"
pinned() { awk -v k="$1" '$1 == k {print $2}' "$here/node-versions"; }
containerd_version="$(pinned containerd)"
runc_version="$(pinned runc)"
cni_version="$(pinned cni-plugins)"
for v in "$containerd_version" "$runc_version" "$cni_version"; do
  [[ "$v" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "lab node build: $here/node-versions: bad version '$v'" >&2; exit 2; }
done

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/lab/$version"
node_dir="$cache_root/node"
bin_dir="$node_dir/bin"
cni_dir="$node_dir/cni"
src_dir="$node_dir/src"
stamp="pause $(cat "$here/pause/main.go" | cksum | cut -d" " -f1) kubelet $version containerd $containerd_version runc $runc_version cni-plugins $cni_version"

force=0
keep_go_cache=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --keep-go-cache) keep_go_cache=1 ;;
    --print-dir) echo "$node_dir"; exit 0 ;;
    *) echo "lab node build: unknown argument '$arg' (known: --force --keep-go-cache --print-dir)" >&2; exit 2 ;;
  esac
done

log() { printf '[lab node build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

outputs=("$bin_dir/lab-pause" "$bin_dir/kubelet" "$bin_dir/containerd" "$bin_dir/containerd-shim-runc-v2" "$bin_dir/ctr" "$bin_dir/runc"
  "$cni_dir/bridge" "$cni_dir/host-local" "$cni_dir/loopback" "$cni_dir/portmap")
cache_complete() {
  [[ "$(cat "$node_dir/versions" 2> /dev/null)" == "$stamp" ]] || return 1
  local f
  for f in "${outputs[@]}"; do [[ -x "$f" ]] || return 1; done
}
if [[ $force == 0 ]] && cache_complete; then
  log "cached: $node_dir"
  exit 0
fi

# --- tools --------------------------------------------------------------------------------
if ! command -v go > /dev/null 2>&1; then
  if [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
  else
    echo "lab node build: Go is not installed. Install Go >= 1.26 (e.g. into /usr/local/go) and put it on PATH." >&2
    exit 127
  fi
fi
if ! command -v gcc > /dev/null 2>&1 || ! command -v pkg-config > /dev/null 2>&1 || ! pkg-config --exists libseccomp; then
  echo "lab node build: runc needs cgo with libseccomp: install gcc, pkg-config and libseccomp-dev" >&2
  echo "                (apt-get install gcc pkg-config libseccomp-dev)." >&2
  exit 127
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
have_go="$(go env GOVERSION | sed 's/^go//')"
# The control plane build's cache dir: when `lab build --node real` keeps it
# (--keep-go-cache), the kubelet reuses most of what kube-apiserver compiled. Deleted after
# success; downloaded modules stay in the shared module cache.
go_build_cache="$cache_root/go-build"
export GOCACHE="$go_build_cache"

# One build at a time on this machine per Kubernetes version, shared with
# build-control-plane.sh: two checkouts (or a test and `lab up`) never compile at once.
mkdir -p "$node_dir"
exec 9> "$cache_root/.build.lock"
if ! flock -n 9; then
  log "another lab build of $version is running; waiting for it"
  flock 9
  if [[ $force == 0 ]] && cache_complete; then log "cached: $node_dir"; exit 0; fi
fi
if [[ "$(cat "$node_dir/versions" 2> /dev/null)" != "$stamp" ]]; then
  rm -rf "$bin_dir" "$cni_dir"
fi
mkdir -p "$bin_dir" "$cni_dir"
started=$(date +%s)

needs_go() { # module@version: checks the module's go directive against our Go
  local info gomod want
  info="$(go mod download -json "$1")" || {
    echo "lab node build: could not download $1 from the Go module proxy (GOPROXY=$(go env GOPROXY))" >&2
    exit 1
  }
  gomod="$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  want="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
  if [[ "$(printf '%s\n%s\n' "$want" "$have_go" | sort -V | head -1)" != "$want" ]]; then
    echo "lab node build: $1 needs Go >= $want, found go$have_go; install a newer Go." >&2
    exit 1
  fi
  printf '%s\n' "$gomod"
}

# --- wrapper modules ----------------------------------------------------------------------
# kubelet: the same generated wrapper as the control plane (staging modules replaced by
# their published v0.<minor>.<patch>), from that version's own go.mod.
k8s_go_mod="$(needs_go "k8s.io/kubernetes@$version")"
k8s_go="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$k8s_go_mod")"
mkdir -p "$src_dir/kubelet" "$src_dir/containerd" "$src_dir/runc" "$src_dir/cni"
{
  echo "// Generated by packages/lab/go/build-node.sh from k8s.io/kubernetes@$version's go.mod."
  echo "module claude-k8s.local/lab-kubelet"
  echo
  echo "go $k8s_go"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  echo "replace ("
  sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*$#\t\1 => \1 '"$staging_version"'#p' "$k8s_go_mod"
  echo ")"
} > "$src_dir/kubelet/go.mod.new"
grep -q '=> k8s.io/api ' "$src_dir/kubelet/go.mod.new" || {
  echo "lab node build: found no staging replace directives in $k8s_go_mod; has the layout changed?" >&2
  exit 1
}
if ! cmp -s "$src_dir/kubelet/go.mod.new" "$src_dir/kubelet/go.mod.input" 2> /dev/null; then
  cp "$src_dir/kubelet/go.mod.new" "$src_dir/kubelet/go.mod"
  cp "$src_dir/kubelet/go.mod.new" "$src_dir/kubelet/go.mod.input"
  rm -f "$src_dir/kubelet/go.sum"
fi
rm -f "$src_dir/kubelet/go.mod.new"

wrapper() { # dir module-path version
  local dir="$1" mod="$2" ver="$3" gomod want
  gomod="$(needs_go "$mod@$ver")"
  want="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
  printf '// Generated by packages/lab/go/build-node.sh.\nmodule claude-k8s.local/lab-%s\n\ngo %s\n\nrequire %s %s\n' \
    "$(basename "$dir")" "$want" "$mod" "$ver" > "$dir/go.mod.new"
  if ! cmp -s "$dir/go.mod.new" "$dir/go.mod.input" 2> /dev/null; then
    cp "$dir/go.mod.new" "$dir/go.mod"
    cp "$dir/go.mod.new" "$dir/go.mod.input"
    rm -f "$dir/go.sum"
  fi
  rm -f "$dir/go.mod.new"
}
wrapper "$src_dir/containerd" github.com/containerd/containerd/v2 "$containerd_version"
wrapper "$src_dir/runc" github.com/opencontainers/runc "$runc_version"
wrapper "$src_dir/cni" github.com/containernetworking/plugins "$cni_version"

# --- build --------------------------------------------------------------------------------
build_one() { # output module-dir package ldflags [tags] [cgo]
  local out="$1" dir="$2" pkg="$3" ldflags="$4" tags="${5:-}" cgo="${6:-0}"
  local name t0 tmp blog pid
  name="$(basename "$out")"
  t0=$(date +%s)
  tmp="$(dirname "$out")/.$name.tmp"
  blog="$node_dir/build-$name.log"
  if [[ -x "$out" && $force == 0 ]]; then log "cached $name"; return; fi
  log "building $name ($pkg)"
  (cd "$dir" && CGO_ENABLED="$cgo" go build -v -trimpath -tags "$tags" -ldflags "$ldflags" -o "$tmp" "$pkg") > "$blog" 2>&1 &
  pid=$!
  local last=$t0
  while kill -0 "$pid" 2> /dev/null; do
    sleep 1
    (($(date +%s) - last >= 15)) || continue
    last=$(date +%s)
    log "  $name: $((last - t0))s, $(grep -c '^[a-z]' "$blog" 2> /dev/null || true) packages compiled (total $((last - started))s)"
  done
  if ! wait "$pid"; then
    tail -n 30 "$blog" >&2
    echo "lab node build: building $name failed; full log: $blog" >&2
    exit 1
  fi
  mv -f "$tmp" "$out"
  log "built $name in $(($(date +%s) - t0))s ($(du -h "$out" | cut -f1))"
}

build_one "$bin_dir/lab-pause" "$here/pause" . "-s -w"
cni_pkg=github.com/containernetworking/plugins
cni_ldflags="-s -w -X $cni_pkg/pkg/utils/buildversion.BuildVersion=$cni_version"
for p in main/bridge ipam/host-local main/loopback meta/portmap; do
  build_one "$cni_dir/$(basename "$p")" "$src_dir/cni" "$cni_pkg/plugins/$p" "$cni_ldflags"
done
# runc: cgo for libcontainer/nsenter, seccomp through libseccomp. Not libpathrs (Rust).
build_one "$bin_dir/runc" "$src_dir/runc" github.com/opencontainers/runc "-s -w" "seccomp urfave_cli_no_docs" 1
ctd_pkg=github.com/containerd/containerd/v2
ctd_ldflags="-s -w -X $ctd_pkg/version.Version=$containerd_version -X $ctd_pkg/version.Package=github.com/containerd/containerd/v2"
build_one "$bin_dir/containerd" "$src_dir/containerd" "$ctd_pkg/cmd/containerd" "$ctd_ldflags" "urfave_cli_no_docs no_btrfs no_devmapper no_zfs"
build_one "$bin_dir/containerd-shim-runc-v2" "$src_dir/containerd" "$ctd_pkg/cmd/containerd-shim-runc-v2" "$ctd_ldflags" "urfave_cli_no_docs no_grpc"
build_one "$bin_dir/ctr" "$src_dir/containerd" "$ctd_pkg/cmd/ctr" "$ctd_ldflags" "urfave_cli_no_docs no_btrfs no_devmapper no_zfs"
version_pkg="k8s.io/component-base/version"
k8s_ldflags="-s -w -X $version_pkg.gitVersion=$version -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=$minor -X $version_pkg.gitTreeState=clean -X $version_pkg.buildDate=1970-01-01T00:00:00Z"
build_one "$bin_dir/kubelet" "$src_dir/kubelet" k8s.io/kubernetes/cmd/kubelet "$k8s_ldflags"

printf '%s\n' "$stamp" > "$node_dir/versions"
printf '{"kubelet":"%s","containerd":"%s","runc":"%s","cniPlugins":"%s","go":"%s","builtAt":"%s","seconds":%d}\n' \
  "$version" "$containerd_version" "$runc_version" "$cni_version" "$have_go" "$(date -u +%FT%TZ)" "$(($(date +%s) - started))" \
  > "$node_dir/build-info.json"
if [[ $keep_go_cache == 0 ]]; then rm -rf "$go_build_cache"; fi
log "done in $(($(date +%s) - started))s: $node_dir"
