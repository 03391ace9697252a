#!/usr/bin/env bash
# Prints the path of a Release `perpetuo` to measure: $PERPETUO if set, else a fresh `dotnet publish` of
# src/Perpetuo.Cli into /tmp/perpetuo-bench/jit (framework-dependent, JIT only).
set -euo pipefail
if [[ -n "${PERPETUO:-}" ]]; then echo "$PERPETUO"; exit 0; fi
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet publish "$root/src/Perpetuo.Cli" -c Release -o /tmp/perpetuo-bench/jit >/dev/null
echo /tmp/perpetuo-bench/jit/perpetuo
