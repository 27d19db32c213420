#!/usr/bin/env bash
# Idle footprint of a running lab: RSS and average CPU of each component over a window.
# Usage: measure-idle.sh [seconds=120] [lab dir]   (run after the lab has settled for a minute)
set -euo pipefail
window="${1:-120}"
dir="${2:-${CLAUDE_K8S_LAB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/claude-k8s/lab/run}}"
owner="$(sed -n 's/.*"ownerPid": \([0-9]*\).*/\1/p' "$dir/state.json")"
[[ -n "$owner" ]] || { echo "measure-idle: no running lab in $dir" >&2; exit 1; }
# The owner (fault proxy) and the processes it started: etcd and the kube-* components.
pids="$owner $(pgrep -P "$owner" | tr '\n' ' ')"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A before
for p in $pids; do before[$p]=$(ticks "$p"); done
sleep "$window"
hz=$(getconf CLK_TCK)
printf '%-26s %8s %8s\n' process rss_MiB cpu_%
total_rss=0; total_cpu=0
for p in $pids; do
  name=$(basename "$(awk '{print $1}' "/proc/$p/cmdline" | tr '\0' ' ' | awk '{print $1}')")
  tr '\0' ' ' < "/proc/$p/cmdline" | grep -q kubelet-sim && name="kubelet-sim"
  [[ $p == "$owner" ]] && name="lab owner (fault proxy)"
  rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$p/status")
  cpu=$(awk -v a="${before[$p]}" -v b="$(ticks "$p")" -v hz="$hz" -v w="$window" 'BEGIN {printf "%.1f", (b-a)/hz/w*100}')
  printf '%-26s %8s %8s\n' "$name" "$rss" "$cpu"
  total_rss=$((total_rss + rss)); total_cpu=$(awk -v t="$total_cpu" -v c="$cpu" 'BEGIN {print t + c}')
done
printf '%-26s %8s %8s\n' total "$total_rss" "$total_cpu"
echo "(cpu_% is of one core, averaged over ${window}s; the machine's cores: $(nproc))"
