#!/usr/bin/env python3
"""How long the output is silent when both workers die at once, with and without checkpoints.

usage: both-dead.py EXE [KILL_AT_SECONDS] [RUNS]     (e.g. /tmp/perpetuo-bench/jit/perpetuo 60 3)

For each of `--checkpoint-seconds 0` (the whole session is replayed from block 0) and the default 10: runs
`EXE play --output null --seconds KILL_AT+10 --events F --osc none --quiet`, SIGKILLs both workers (pids from the
`started` events) after KILL_AT seconds of play, and reads from the events file how many blocks were played as
faded silence (`underrun` events plus the `count` of `underruns` summaries; one block = 256/48000 s) until a worker took over again (`recovered`), and the
block the new worker started from (`cold_start`, absent when it started from block 0). Prints each run and the
medians."""
import json, os, signal, statistics, subprocess, sys, tempfile, time

def run(exe, kill_at, checkpoint):
    with tempfile.TemporaryDirectory() as d:
        events = os.path.join(d, "events.jsonl")
        p = subprocess.Popen([exe, "play", "--output", "null", "--seconds", str(kill_at + 10), "--events", events,
                              "--osc", "none", "--checkpoint-seconds", str(checkpoint), "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(kill_at + 1)  # + start-up
        pids = {}
        for line in open(events):
            e = json.loads(line)
            if e["event"] in ("started", "respawned"):
                pids[e["slot"]] = e["pid"]
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
        p.wait(timeout=120)
        lines = [json.loads(l) for l in open(events)]
        underruns = sum(1 for e in lines if e["event"] == "underrun") + sum(e["count"] for e in lines if e["event"] == "underruns")
        cold = [e for e in lines if e["event"] == "cold_start"]
        recovered = [e for e in lines if e["event"] == "recovered"]
        return underruns, (cold[0]["from_block"] if cold else 0), (recovered[0]["seq"] if recovered else None)

def main():
    exe = sys.argv[1]
    kill_at = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    block_ms = 256 / 48000 * 1000
    for checkpoint in (0, 10):
        silent = []
        for i in range(runs):
            n, start, recovered = run(exe, kill_at, checkpoint)
            silent.append(n)
            print(f"checkpoint-seconds {checkpoint:>2}: run {i + 1}: {n} blocks of silence ({n * block_ms:.0f} ms), "
                  f"new worker started at block {start}, recovered at block {recovered}", flush=True)
        m = statistics.median(silent)
        print(f"checkpoint-seconds {checkpoint:>2}: median {m} blocks = {m * block_ms:.0f} ms of silence "
              f"after {kill_at} s of play", flush=True)

if __name__ == "__main__":
    main()
