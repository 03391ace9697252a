#!/usr/bin/env python3
"""How many instances of an LV2 plugin the hitless pair sustains, against the same chain in one process.

usage: lv2-capacity.py EXE effect|instrument URI [BLOCK:DEPTH ...] [--seconds S] [--max N]

For each BLOCK:DEPTH (default 256:3 64:3): the largest N for which `EXE play --output null --block BLOCK --ring-depth
DEPTH --seconds S` of a chain of N instances played with no more underruns than the same chain without the plugin
(the machine's own: a shared 2-vCPU VM underruns at 64 x 3 with no plugin at all) — doubling, then bisection to
within 10 %, a trial that underruns run once more (the machine is shared: only two in a row count) — and the chain's cost
in one process: `EXE render` of the same chain for S and for 1 second, the difference per block, which gives the N
one process could run in real time on one core. An effect's chain is seeded noise through N instances in series; an
instrument's is a sequencer playing N instances side by side (each hears every note, as every note-taking module
does). Prints one Markdown row per setting.
"""
import json, os, re, subprocess, sys, tempfile, time

args = [a for a in sys.argv[1:]]
seconds = 20
max_n = 256
if "--seconds" in args:
    i = args.index("--seconds"); seconds = float(args[i + 1]); del args[i:i + 2]
if "--max" in args:
    i = args.index("--max"); max_n = int(args[i + 1]); del args[i:i + 2]
exe, kind, uri = args[0], args[1], args[2]
settings = [tuple(map(int, s.split(":"))) for s in args[3:]] or [(256, 3), (64, 3)]
work = tempfile.mkdtemp(prefix="lv2-capacity-")

def patch(n):
    if kind == "effect":
        modules = [{"type": "noise", "id": "src", "params": {"level": 0.2}}]
    else:
        modules = [{"type": "seq", "id": "seq", "params": {"bpm": 132, "gate": 0.8}}]
    modules += [{"type": "lv2:" + uri, "id": f"p{i}"} for i in range(n)]  # n = 0: the machine's own underruns
    modules.append({"type": "gain", "id": "out", "params": {"gain": 0.1}})
    path = os.path.join(work, f"chain-{n}.json")
    with open(path, "w") as f:
        json.dump({"modules": modules}, f)
    return path

def underruns(n, block, depth):
    r = subprocess.run([exe, "play", "--patch", patch(n), "--output", "null", "--block", str(block), "--ring-depth", str(depth),
                        "--seconds", str(seconds), "--osc", "none", "--quiet"], capture_output=True, text=True)
    m = re.search(r"(\d+) underruns", r.stderr)
    if r.returncode != 0 or not m:
        return None  # refused or failed: above what can be played
    return int(m.group(1))

def render_time(n, block, s):
    t = time.monotonic()
    subprocess.run([exe, "render", "--patch", patch(n), "--block", str(block), "--seconds", str(s), "--out", os.path.join(work, "r.wav")],
                   check=True, capture_output=True)
    return time.monotonic() - t

def plays(n, block, depth, allowed):
    for _ in range(2):
        u = underruns(n, block, depth)
        if u is not None and u <= allowed:
            return True
    return False

def largest(block, depth):
    allowed = max(underruns(0, block, depth) or 0, underruns(0, block, depth) or 0)
    ok, bad, n = 0, None, 1
    while bad is None and n <= max_n:
        if plays(n, block, depth, allowed):
            ok, n = n, n * 2
        else:
            bad = n
    bad = bad or max_n + 1
    while bad - ok > max(1, ok // 10):  # to within 10 %
        mid = (ok + bad) // 2
        if plays(mid, block, depth, allowed):
            ok = mid
        else:
            bad = mid
    return ok, allowed

print(f"| plugin | block x depth | instances the pair plays in {seconds:g} s (underruns allowed: the machine's own) | "
      "one process: cost per instance per block | one process: instances in real time on one core |")
print("| --- | --- | --- | --- | --- |")
for block, depth in settings:
    pair, allowed = largest(block, depth)
    n = max(4, min(pair, 32))
    per_block = (render_time(n, block, seconds + 1) - render_time(n, block, 1)) / (seconds * 48000 / block) / n
    single = int((block / 48000) / per_block)
    print(f"| `{uri}` ({kind}) | {block} x {depth} | {pair} ({allowed}) | {per_block * 1e6:.1f} us | {single} |", flush=True)
