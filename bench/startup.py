#!/usr/bin/env python3
"""Start-up of `perpetuo play`, measured from outside (nothing added to src).

usage: startup.py EXE [RUNS]     (e.g. /tmp/perpetuo-bench/jit/perpetuo 7)

Launch: `EXE play --output null --seconds 3 --osc none --quiet`, timed from just before the fork. The script then
watches slot 0's shared-memory region (/dev/shm/perpetuo-UID/run-PID-*/slot0.region) with mmap, polling every
~0.2 ms, and records when
  - the region exists (the supervisor is up and created its slots),
  - Heartbeat (offset 136) > 0: slot 0's worker has built and warmed its DSP and published its first block,
  - ReadPosition (offset 256) >= 1: the audio callback has played block 0 -- the first block heard.
Respawn: `EXE play --output null --seconds 14 --events F`, SIGKILL slot 1's worker (WorkerPid, offset 152) at
4, 8 and 12 s; from the events file: kill -> `respawned` (Process.Start returned) -> `resynced` (16 blocks
verified by hash; at least 16 block periods = 85 ms of that is the verification itself).
Prints medians and ranges."""
import glob, mmap, os, signal, statistics, struct, subprocess, sys, time, json, datetime, tempfile

def region(pid, slot, deadline):
    pattern = f"/dev/shm/perpetuo-{os.getuid()}/run-{pid}-*/slot{slot}.region"
    while time.monotonic() < deadline:
        found = glob.glob(pattern)
        if found and os.path.getsize(found[0]) >= 1024:
            return found[0]
        time.sleep(0.0002)
    raise TimeoutError(pattern)

def read_long(m, offset):
    return struct.unpack_from("<q", m, offset)[0]

def launch_once(exe):
    t0 = time.monotonic()
    p = subprocess.Popen([exe, "play", "--output", "null", "--seconds", "3", "--osc", "none", "--quiet"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = region(p.pid, 0, t0 + 30)
    t_region = time.monotonic() - t0
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 1024, prot=mmap.PROT_READ)
        t_beat = t_heard = None
        while time.monotonic() - t0 < 30 and t_heard is None:
            if t_beat is None and read_long(m, 136) > 0:
                t_beat = time.monotonic() - t0
            if read_long(m, 256) >= 1:
                t_heard = time.monotonic() - t0
            time.sleep(0.0002)
        m.close()
    p.wait()
    return t_region * 1000, t_beat * 1000, t_heard * 1000

def ts(e):
    s = e["ts"].rstrip("Z")
    head, frac = s.split(".")
    return datetime.datetime.fromisoformat(head).replace(tzinfo=datetime.timezone.utc).timestamp() + float("0." + frac)

def respawn(exe):
    ev = tempfile.mktemp(suffix=".jsonl")
    p = subprocess.Popen([exe, "play", "--output", "null", "--seconds", "14", "--osc", "none", "--quiet", "--events", ev],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    path = region(p.pid, 1, t0 + 30)
    kills = []
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 1024, prot=mmap.PROT_READ)
        for at in (4, 8, 12):
            time.sleep(max(0, t0 + at - time.monotonic()))
            pid = read_long(m, 152)
            kills.append(time.time())
            os.kill(pid, signal.SIGKILL)
        m.close()
    p.wait()
    events = [json.loads(l) for l in open(ev)]
    os.unlink(ev)
    spawned = [ts(e) for e in events if e["event"] == "respawned"]
    synced = [ts(e) for e in events if e["event"] == "resynced"]
    return [((s - k) * 1000, (r - s) * 1000, (r - k) * 1000) for k, s, r in zip(kills, spawned, synced)]

def summary(name, xs):
    xs = sorted(xs)
    return f"{name} {statistics.median(xs):.0f} [{xs[0]:.0f}-{xs[-1]:.0f}]"

def main():
    exe, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    launch_once(exe)  # untimed: page cache
    rows = [launch_once(exe) for _ in range(runs)]
    print(f"{exe}: play start-up, {runs} runs, ms median [min-max]: "
          + "  ".join(summary(n, [r[i] for r in rows]) for i, n in enumerate(["region", "first heartbeat", "first block heard"])))
    rs = respawn(exe) + respawn(exe)
    print(f"{exe}: respawn, {len(rs)} kills, ms median [min-max]: "
          + "  ".join(summary(n, [r[i] for r in rs]) for i, n in enumerate(["kill->respawned", "respawned->resynced", "kill->resynced"])))

if __name__ == "__main__":
    main()
