#!/usr/bin/env python3
"""Latency sweep: every block size x ring depth, through the null output and a real-time JACK dummy server at the
same period, idle or beside `stress-ng --cpu 2`; prints a markdown table (docs/performance.md, "Live latency").

  usage: bench/latency-sweep.py PERPETUO [SECONDS] [--blocks 32,64,128,256] [--depths 2,3] [--outputs null,jack]
                                         [--load idle,stress] [--keep-cpus-awake]
  One row per run: underruns, JACK xruns blamed on our client (jackd's log), failovers, restarts (respawns), hangs,
  the CPU of each worker (% of one core, from /proc/PID/stat, second 3 to the end) and of the audio process.
  Run as root for real-time priorities (jackd -R, the workers' SCHED_FIFO); say which CPU (lscpu) with the figures.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HZ = os.sysconf("SC_CLK_TCK")
OURS = re.compile(r"JackEngine::XRun: client (?:= (perpetuo\S*) was not finished, state = Running|(perpetuo\S*) finished after current callback)")


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def start_jackd(period, name):
    rt = ["-R", "-P", "70"] if os.geteuid() == 0 else ["--no-realtime"]
    log = tempfile.NamedTemporaryFile("w+", prefix="jackd-", suffix=".log", delete=False)
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_AUDIO_RESERVATION="1")
    p = subprocess.Popen(["jackd", *rt, "-n", name, "-d", "dummy", "-r", "48000", "-p", str(period)],
                         stdout=log, stderr=subprocess.STDOUT, env=env)
    for _ in range(100):
        if subprocess.run(["jack_lsp"], env=env, capture_output=True).returncode == 0:
            return p, log.name, env
        time.sleep(0.1)
    p.kill()
    raise SystemExit(f"jackd did not start; see {log.name}")


def run(exe, block, depth, output, seconds, load, extra):
    jackd = None
    env = dict(os.environ)
    if output == "jack":
        jackd, jack_log, env = start_jackd(block, f"sweep{os.getpid()}")
    stress = subprocess.Popen(["stress-ng", "--cpu", "2", "--quiet"]) if load == "stress" else None
    with tempfile.TemporaryDirectory() as d:
        events = os.path.join(d, "events.jsonl")
        play = subprocess.Popen([exe, "play", "--output", output, "--block", str(block), "--ring-depth", str(depth),
                                 "--seconds", str(seconds), "--osc", "none", "--events", events, "--quiet", *extra],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(3)
        pids = [play.pid, *children(play.pid)]
        t0, s0 = {p: ticks(p) for p in pids}, time.monotonic()
        samples = dict(t0)
        while play.poll() is None:
            for p in pids:
                t = ticks(p)
                if t is not None:
                    samples[p] = t
            s1 = time.monotonic()
            time.sleep(0.5)
        out = play.stdout.read()
        evs = [json.loads(l) for l in open(events) if l.endswith("}\n")] if os.path.exists(events) else []
    if stress:
        stress.terminate()
        stress.wait()
    ours = 0
    if jackd:
        jackd.terminate()
        jackd.wait()
        ours = sum(1 for l in open(jack_log) if OURS.search(l))
        os.unlink(jack_log)
    m = re.search(r"played \d+ blocks .*?: (\d+) underruns, (\d+) failovers, \d+ divergences, (\d+) restarts", out)
    if not m:
        return f"| {block} | {depth} | {output} | {load} | play failed: {out.strip()[-200:]} |"
    cpu = lambda p: 100.0 * ((samples.get(p) or 0) - (t0.get(p) or 0)) / HZ / max(1e-9, s1 - s0)
    # The workers are the children that rendered (the spare, when started, is the third child).
    workers = " / ".join(f"{cpu(p):.1f}" for p in pids[1:3])
    hung = sum(1 for e in evs if e.get("event") == "hung")
    latency = depth * block / 48.0
    return (f"| {block} | {depth} | {latency:.1f} ms | {output} | {load} | {m.group(1)} | "
            f"{ours if output == 'jack' else '–'} | {m.group(2)} | {m.group(3)} | {hung} | {workers} | {cpu(play.pid):.1f} |")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("exe")
    a.add_argument("seconds", nargs="?", type=int, default=60)
    a.add_argument("--blocks", default="32,64,128,256")
    a.add_argument("--depths", default="2,3")
    a.add_argument("--outputs", default="null,jack")
    a.add_argument("--load", default="idle,stress")
    a.add_argument("--keep-cpus-awake", action="store_true", help="pass play --keep-cpus-awake")
    o = a.parse_args()
    extra = ["--keep-cpus-awake"] if o.keep_cpus_awake else []
    if "stress" in o.load and not shutil.which("stress-ng"):
        sys.exit("stress-ng is not installed")
    print(f"# {o.seconds} s each; {subprocess.run(['lscpu'], capture_output=True, text=True).stdout.split('Model name:')[1].splitlines()[0].strip()}, "
          f"{os.cpu_count()} cores, {'root (real-time priorities)' if os.geteuid() == 0 else 'unprivileged'}{', play --keep-cpus-awake' if extra else ''}")
    print("| block | depth | engine latency | output | load | underruns | JACK xruns ours | failovers | restarts | hangs | worker CPU % | audio process CPU % |")
    print("| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for load in o.load.split(","):
        for output in o.outputs.split(","):
            for block in map(int, o.blocks.split(",")):
                for depth in map(int, o.depths.split(",")):
                    print(run(o.exe, block, depth, output, o.seconds, load, extra), flush=True)


if __name__ == "__main__":
    main()
