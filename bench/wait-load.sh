#!/usr/bin/env bash
# Waits until the 1-minute load average is below ${1:-1.5} (polls every 30 s, gives up after ${2:-600} s),
# then prints the load it starts measuring at. Used by the other bench scripts: the machine has 2 cores shared
# with CI runs and tests, and a measurement taken under load measures the load.
set -euo pipefail
limit=${1:-1.5}; max=${2:-600}; waited=0
while :; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$load" -v m="$limit" 'BEGIN{exit !(l < m)}'; then break; fi
  if (( waited >= max )); then echo "wait-load: load $load still >= $limit after ${max}s; measuring anyway" >&2; break; fi
  sleep 30; waited=$((waited + 30))
done
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (nproc $(nproc), waited ${waited}s)"
