#!/usr/bin/env bash
# Does a GC setting take effect in the audio process? Floods `play` with RATE param commands/s for SECONDS (the
# control path allocates per command, see docs/performance.md) and reports the GCs and the bytes allocated per GC
# (the effective gen0 budget), for one VARIANT:
#   default     the published runtimeconfig as is
#   rc-gen0     a copy of the publish dir whose runtimeconfig.json adds "System.GC.Gen0Size": 268435456 (256 MiB)
#   env-gen0    DOTNET_GCgen0size=0x10000000 (256 MiB) in the environment
#   conserve    a copy whose runtimeconfig.json adds "System.GC.ConserveMemory": 5
#   segments-gen0  DOTNET_GCName=libclrgc.so (the runtime's segments GC instead of regions) + DOTNET_GCgen0size=0x10000000
# usage: bench/gc-budget.sh VARIANT [RATE] [SECONDS]      env: PERPETUO=path (of a published perpetuo)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$("$here/perpetuo-exe.sh")
variant=${1:-default}; rate=${2:-2000}; seconds=${3:-40}
osc=127.0.0.1:57172; metrics=127.0.0.1:9472
patch_rc() {  # copy the publish dir and add one configProperty
  local dir; dir=$(mktemp -d); cp -a "$(dirname "$exe")/." "$dir/"
  python3 - "$dir/perpetuo.runtimeconfig.json" "$1" "$2" <<'PY'
import json, sys
path, key, value = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = json.load(open(path)); c["runtimeOptions"]["configProperties"][key] = value
json.dump(c, open(path, "w"), indent=2)
PY
  echo "$dir/perpetuo"
}
envs=()
case "$variant" in
  default) ;;
  rc-gen0) exe=$(patch_rc System.GC.Gen0Size 268435456) ;;
  env-gen0) envs=(DOTNET_GCgen0size=0x10000000) ;;
  conserve) exe=$(patch_rc System.GC.ConserveMemory 5) ;;
  segments-gen0) envs=(DOTNET_GCName=libclrgc.so DOTNET_GCgen0size=0x10000000) ;;
  *) echo "unknown variant $variant" >&2; exit 2 ;;
esac
"$here/wait-load.sh"
out=$(mktemp)
env "${envs[@]}" "$exe" play --output null --seconds $((seconds + 12)) --osc "$osc" --metrics "$metrics" --quiet >"$out" 2>&1 &
play=$!
sleep 4
alloc() { curl -s "http://$metrics/metrics" | awk '/^dotnet_total_allocated_bytes /{print $2}'; }
a0=$(alloc)
python3 "$here/osc-flood.py" "$osc" "$rate" "$seconds"
a1=$(alloc)
status=$("$exe" status --json --osc "$osc")
wait "$play" || true
gcs=$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["gc_collections"])')
echo "$variant: $(echo "$status" | python3 -c 'import json,sys; s=json.load(sys.stdin); print("accepted %d underruns %d" % (s["commands_accepted"], s["underruns"]))') gc_collections $gcs, allocated $(( (a1 - a0) / 1048576 )) MiB, $(( gcs > 0 ? (a1 - a0) / gcs / 1048576 : 0 )) MiB per GC | $(tail -1 "$out")"
rm -f "$out"
