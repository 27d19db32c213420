#!/usr/bin/env bash
# Builds images/agent/Containerfile without a daemon or a registry, for the lab: a Debian
# base made locally from Debian packages (mmdebstrap), then the Containerfile built by
# buildah on that base, exported as an OCI archive. Opt-in (not part of ./dev test).
#
# Cached outside the checkout by the recipe's digest (the Containerfile's sha256):
#   ${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/agent-image/<digest>/agent-image.oci.tar
# The Debian base is cached apart, by suite: ${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/agent-image/base/.
# Needs root, buildah and mmdebstrap (apt-get install buildah mmdebstrap), a Debian mirror
# and the npm registry.
#
# TLS: the build trusts what this host trusts. The host's CA bundle (LAB_IMAGE_BUILD_CA,
# default /etc/ssl/certs/ca-certificates.crt) goes to the recipe as the optional build secret
# `build-ca`, which its downloading steps add for that step only; so a TLS-inspecting proxy
# the host trusts works, and the image itself keeps Debian's CA set.
#
# Usage: build-lab-image.sh [--force] [--print-archive]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
digest="$(sha256sum "$here/Containerfile" | cut -c1-16)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/agent-image/$digest"
archive="$cache/agent-image.oci.tar"
suite="${DEBIAN_SUITE:-bookworm}"

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --print-archive) echo "$archive"; exit 0 ;;
    *) echo "lab image: unknown argument '$arg' (known: --force --print-archive)" >&2; exit 2 ;;
  esac
done

log() { printf '[lab image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -f "$archive" && $force == 0 ]]; then log "cached: $archive"; exit 0; fi
for tool in buildah mmdebstrap; do
  command -v "$tool" > /dev/null || { echo "lab image: $tool is missing; install it: apt-get install -y buildah mmdebstrap" >&2; exit 127; }
done

mkdir -p "$cache"
exec 9> "$cache/.build.lock"
flock 9
started=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The base: a minimal Debian root filesystem as an image buildah can start FROM.
base_dir="$(dirname "$cache")/base"
base_tar="$base_dir/debian-$suite.tar"
mkdir -p "$base_dir"
if [[ ! -f "$base_tar" ]]; then
  log "making the Debian $suite base with mmdebstrap"
  # The output name must end in .tar: mmdebstrap picks its output format from it.
  mmdebstrap --variant=minbase --include=ca-certificates "$suite" "$base_dir/base.partial.tar"
  mv "$base_dir/base.partial.tar" "$base_tar"
fi
base_ref="localhost/claude-k8s-debian-base:$suite"
if ! buildah inspect --type image "$base_ref" > /dev/null 2>&1; then
  base_ctr="$(buildah from scratch)"
  base_mnt="$(buildah mount "$base_ctr")"
  tar -xf "$base_tar" -C "$base_mnt"
  buildah umount "$base_ctr" > /dev/null
  buildah commit --quiet "$base_ctr" "$base_ref" > /dev/null
  buildah rm "$base_ctr" > /dev/null
fi
log "base ready ($(($(date +%s) - started))s)"

build_ca="${LAB_IMAGE_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
secret_args=()
if [[ -s "$build_ca" ]]; then
  secret_args=(--secret "id=build-ca,src=$build_ca")
  log "build-time CA: $build_ca (this host's trust)"
fi

log "building the Containerfile with buildah"
buildah build --layers=false --network host --isolation chroot \
  --build-arg "BASE_IMAGE=$base_ref" "${secret_args[@]}" \
  --build-arg "VCS_REVISION=$(git -C "$here" rev-parse HEAD 2> /dev/null || echo unknown)" \
  -t localhost/claude-k8s-agent:lab -f "$here/Containerfile" "$here"
buildah push --quiet localhost/claude-k8s-agent:lab "oci-archive:$archive.tmp:localhost/claude-k8s-agent:lab"
mv "$archive.tmp" "$archive"
printf '{"recipe":"%s","seconds":%d,"builtAt":"%s"}\n' "$digest" "$(($(date +%s) - started))" "$(date -u +%FT%TZ)" > "$cache/build-info.json"
log "built in $(($(date +%s) - started))s: $archive"
