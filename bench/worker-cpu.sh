#!/usr/bin/env bash
# CPU of each worker (and of the audio process) from utime+stime in /proc/PID/stat while `perpetuo play
# --output null` plays the default patch, and the underruns of the run.
#   usage: bench/worker-cpu.sh [SECONDS] [DEPTH] [WAIT] [HOGS] [SLOTS]
#   SECONDS of play (CPU is sampled from second 5 to SECONDS-2), ring DEPTH (default 2), WAIT sleep|yield|spin,
#   HOGS: number of `yes > /dev/null` CPU hogs started beside it (default 0), SLOTS 1|2|3 (default 3: two leaders
#   and the trailing replica; the warm spare, idle, is counted as a worker too).      env: PERPETUO=path
# Prints one line: depth, wait, hogs, CPU % of one core per worker and for the supervisor, underruns.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$("$here/perpetuo-exe.sh")
seconds=${1:-60}; depth=${2:-2}; wait=${3:-sleep}; hogs=${4:-0}; slots=${5:-3}
"$here/wait-load.sh" >&2
hz=$(getconf CLK_TCK)
out=$(mktemp)
hogpids=()
cleanup() { for h in "${hogpids[@]}"; do kill "$h" 2>/dev/null || true; done; rm -f "$out"; }
trap cleanup EXIT
for ((i = 0; i < hogs; i++)); do yes > /dev/null & hogpids+=($!); done
"$exe" play --output null --seconds "$seconds" --ring-depth "$depth" --wait "$wait" --slots "$slots" --osc none --quiet >"$out" 2>&1 &
play=$!
sleep 5
ticks() { awk '{c=substr($0, index($0, ")") + 2); split(c, f, " "); print f[12] + f[13]}' "/proc/$1/stat"; }
workers=$(pgrep -P "$play" | tr '\n' ' ')
declare -A t0
for p in $play $workers; do t0[$p]=$(ticks "$p"); done
s0=$(date +%s.%N)
sleep $((seconds - 7))
s1=$(date +%s.%N)
line="slots $slots depth $depth wait $wait hogs $hogs:"
for p in $workers; do
  line+=$(awk -v a="${t0[$p]}" -v b="$(ticks "$p")" -v hz="$hz" -v s0="$s0" -v s1="$s1" \
    'BEGIN{printf "  worker %.2f %%", 100 * (b - a) / hz / (s1 - s0)}')
done
line+=$(awk -v a="${t0[$play]}" -v b="$(ticks "$play")" -v hz="$hz" -v s0="$s0" -v s1="$s1" \
    'BEGIN{printf "  supervisor %.2f %%", 100 * (b - a) / hz / (s1 - s0)}')
wait "$play" || true
echo "$line  | $(grep -o 'played.*' "$out" | tail -1)"
