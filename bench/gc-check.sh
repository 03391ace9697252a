#!/usr/bin/env bash
# No GC in the audio process in steady state: `perpetuo play --output null --seconds 60` (default patch, two
# workers) while 100 `/perpetuo/param ,ssf filter cutoff X` commands per second arrive over OSC for 50 s.
# Reads the audio process's allocated bytes from /metrics (dotnet_total_allocated_bytes) once warm and at the end,
# and `perpetuo status --json` before play ends: gc_collections, underruns, commands_accepted.
# Targets: gc_collections 0, underruns 0.   usage: bench/gc-check.sh [RATE] [SECONDS]   env: PERPETUO=path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$("$here/perpetuo-exe.sh")
rate=${1:-100}; seconds=${2:-60}
osc=127.0.0.1:57171; metrics=127.0.0.1:9471
"$here/wait-load.sh"
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$exe" play --output null --seconds "$seconds" --osc "$osc" --metrics "$metrics" --quiet >"$out" 2>&1 &
play=$!
sleep 4
alloc() { curl -s "http://$metrics/metrics" | awk '/^dotnet_total_allocated_bytes /{print $2}'; }
a0=$(alloc); a0b=$(alloc)   # two scrapes back to back: the second minus the first is one scrape's own cost
python3 "$here/osc-flood.py" "$osc" "$rate" $((seconds - 10))
a1=$(alloc)
status=$("$exe" status --json --osc "$osc")
wait "$play" || true
echo "$status" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("status: gc_collections %d  underruns %d  commands_accepted %d  commands_rejected %d  late %d" % (
    s["gc_collections"], s["underruns"], s["commands_accepted"], s["commands_rejected"], s["late_commands"]))'
scrape=$((a0b - a0))
cmds=$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["commands_accepted"])')
echo "audio process allocated while flooding: $((a1 - a0b - scrape)) B (one scrape costs $scrape B, subtracted) = $(( (a1 - a0b - scrape) / (cmds > 0 ? cmds : 1) )) B per command"
tail -1 "$out"
