#!/bin/bash
# The audio callback's duration histogram from /metrics after 20 s of play --output null (mean and bucket quantiles).
# usage: bench/callback-cost.sh EXE WAIT BLOCK DEPTH   (WAIT: doorbell|sleep|yield|spin)
exe=$1; wait=$2; block=$3; depth=$4
port=$((20000 + RANDOM % 20000))
$exe play --output null --block $block --ring-depth $depth --seconds 22 --osc none --wait $wait --metrics 127.0.0.1:$port --quiet > /tmp/cb-$wait.log 2>&1 &
sleep 20
curl -s http://127.0.0.1:$port/metrics > /tmp/cb-$wait.prom
wait
python3 - "$wait" <<'PY'
import sys,re
w=sys.argv[1]
b=[];cnt=0;s=0
for l in open(f'/tmp/cb-{w}.prom'):
    m=re.match(r'perpetuo_callback_duration_seconds_bucket\{le="([^"]+)"\} (\S+)',l)
    if m: b.append((float('inf') if m.group(1)=='+Inf' else float(m.group(1)), float(m.group(2))))
    m=re.match(r'perpetuo_callback_duration_seconds_(sum|count) (\S+)',l)
    if m:
        if m.group(1)=='sum': s=float(m.group(2))
        else: cnt=float(m.group(2))
def q(p):
    for le,c in b:
        if c>=p*cnt: return le
print(f"{w}: callbacks {cnt:.0f}, mean {s/cnt*1e6:.2f} us, p50 <= {q(.5)*1e6:.0f} us, p99 <= {q(.99)*1e6:.0f} us, p99.9 <= {q(.999)*1e6:.0f} us, p99.99 <= {q(.9999)*1e6:.0f} us")
PY
tail -1 /tmp/cb-$wait.log
