#!/usr/bin/env bash
# The screenshots of docs/ (web-desktop.png, web-page.png: the whole page, web-phone.png): play --web with a plugin added, a module quarantined after
# a deterministic crash, and the heard worker killed, then the page in headless chromium at a laptop's and a phone's
# width. Usage: bench/web-screenshots.sh [OUT_DIR]   (build first; .ci/run installs chromium and playwright-core)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exe="$root/src/Perpetuo.Cli/bin/Release/net10.0/perpetuo"
out=$(cd "${1:-$root/docs}" && pwd)
work=$(mktemp -d); trap 'kill $play 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/patches" "$work/lv2"
ln -s /usr/lib/lv2/plate-swh.lv2 "$work/lv2/"   # the one plugin shown (and scanned: LV2_PATH)
export LV2_PATH="$work/lv2"
osc=127.0.0.1:57173
"$exe" play --output null --osc $osc --web 127.0.0.1:0 --patch-dir "$work/patches" --plugins --allow-fault-injection \
  --ring-depth 12 --quiet >"$work/out.txt" 2>"$work/err.txt" &
play=$!
for _ in $(seq 600); do grep -q 'perpetuo web: open' "$work/out.txt" 2>/dev/null && break; sleep 0.2; done
url=$(grep -o 'http://[^ ]*' "$work/out.txt" | head -1)
sleep 3
send() { "$exe" send "$@" --osc $osc >/dev/null; }
send /perpetuo/module/add lv2:http://plugin.org.uk/swh-plugins/plate verb
send /perpetuo/param verb time 3.2
send /perpetuo/param filter cutoff 2200
send /perpetuo/module/add fault fx mode 1
sleep 1
send /perpetuo/param fx armed 1      # both workers crash in fx at the same block: quarantined, the rest plays on
sleep 3
heard=$("$exe" status --json --osc $osc | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["slots"][s["active_slot"]]["pid"])')
kill -9 "$heard"                     # the heard worker: a failover nobody hears
sleep 2
cd "$root/tests/Perpetuo.Web.Tests/browser"
printf '%s\n' '{"cmd":"open","width":1280,"height":900}' \
  "{\"cmd\":\"screenshot\",\"path\":\"$out/web-desktop.png\"}" \
  "{\"cmd\":\"screenshot\",\"path\":\"$out/web-page.png\",\"full\":true}" \
  '{"cmd":"open","width":390,"height":844,"mobile":true}' \
  "{\"cmd\":\"screenshot\",\"path\":\"$out/web-phone.png\"}" '{"cmd":"quit"}' | node driver.mjs "$url"
