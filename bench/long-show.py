#!/usr/bin/env python3
"""Kill -> verified pair and kill -> rebuilt replica, at several moments of a live-input session through two LV2 effects.

usage: long-show.py EXE SECONDS KILL_AT[,KILL_AT...] [PLAY_OPTION...]   (e.g. /tmp/perpetuo-bench/jit/perpetuo 660 60,600)

PLAY_OPTIONs go to `play` as they are (e.g. --keep-cpus-awake: this VM's idle vCPUs wake threads up to 30 ms late,
docs/performance.md, "The machine's floor").

Plays a generated stereo take (a sweep and noise, SECONDS + 5 s long) as the live input (--input wav:) through swh's
delay and plate (no snapshot can be taken of them: every rebuilt worker replays the session from block 0, reading
the input older than its region's 43 s ring from the session's record on disk), three slots, ring depth 3, with
--journal. At each KILL_AT second it SIGKILLs the heard worker (the active slot's pid, read with `perpetuo status`)
and reads the events file: the time from the kill to the moment the two other replicas are a verified pair again
(the trailer released: `trailer_released`, or at once when the lost one was the trailer), and to the lost slot's
rebuilt worker verified by hash (`resynced` of that slot). At the end: underruns, the audio process's RSS (from
/proc, sampled every 10 s: first and last) and its GC count (`play`'s summary line). Prints one line per kill, then
every loss the bench did not cause (a worker the engine killed or that exited, with its reason) and the deadline
switches the trailer made. The events and play's stderr are kept in /tmp/perpetuo-bench/long-show-last/.
"""
import array, collections, datetime, json, math, os, random, shutil, socket, struct, subprocess, sys, tempfile, time

RATE = 48000


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_take(path, seconds):
    n = seconds * RATE
    a = array.array("f", bytes(8 * n))
    rnd = random.Random(7)
    phase = 0.0
    for f in range(n):
        phase += 2 * math.pi * (150 + 3000.0 * (f % (RATE * 30)) / (RATE * 30)) / RATE
        a[2 * f] = 0.3 * math.sin(phase)
        a[2 * f + 1] = (rnd.random() - 0.5) * 0.2
    d = a.tobytes()
    h = b"RIFF" + struct.pack("<I", 36 + len(d)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 3, 2, RATE, RATE * 8, 8, 32)
    open(path, "wb").write(h + b"data" + struct.pack("<I", len(d)) + d)


def status(exe, osc):
    r = subprocess.run([exe, "status", "--osc", osc, "--json"], capture_output=True, text=True, timeout=30)
    return json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip().startswith("{") else None


def events(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line.endswith("}"):
            e = json.loads(line)
            e["t"] = datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()
            out.append(e)
    return out


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def main():
    exe, seconds = sys.argv[1], int(sys.argv[2])
    kills = [float(k) for k in sys.argv[3].split(",")]
    extra = sys.argv[4:]
    with tempfile.TemporaryDirectory(prefix="perpetuo-long-show-") as d:
        write_take(os.path.join(d, "in.wav"), seconds + 5)
        open(os.path.join(d, "show.json"), "w").write(json.dumps({"modules": [
            {"type": "input", "id": "in"},
            {"type": "lv2:http://plugin.org.uk/swh-plugins/delay_l", "id": "echo", "params": {"delay_time": 0.19}},
            {"type": "lv2:http://plugin.org.uk/swh-plugins/plate", "id": "verb", "params": {"time": 2.5, "wet": 0.3}}]}))
        osc = f"127.0.0.1:{free_udp_port()}"
        p = subprocess.Popen([exe, "play", "--patch", "show.json", "--input", "wav:in.wav", "--output", "null",
                              "--seconds", str(seconds), "--journal", "j.jsonl", "--events", "ev.jsonl", "--osc", osc,
                              "--quiet", *extra], cwd=d, stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "stderr.txt"), "w"), text=True)
        while status(exe, osc) is None:
            time.sleep(0.5)
        t0 = time.time()
        rss = [rss_kib(p.pid)]
        killed = []
        killed_pids = []
        next_rss = t0 + 10
        for at in kills:
            while time.time() - t0 < at:
                time.sleep(0.2)
                if time.time() >= next_rss:
                    rss.append(rss_kib(p.pid))
                    next_rss += 10
            s = status(exe, osc)
            slot = s["active_slot"]
            pid = s["slots"][slot]["pid"]
            trailer = next((x["slot"] for x in s["slots"] if x["role"] == "trailing"), -1)
            os.kill(pid, 9)
            killed.append((time.time(), slot, at, trailer))
            killed_pids.append(pid)
        while p.poll() is None:
            time.sleep(0.5)
            if time.time() >= next_rss:
                try:
                    kib = rss_kib(p.pid)
                    if kib > 0:
                        rss.append(kib)  # a zombie has no VmRSS line: the process ended
                except OSError:
                    pass
                next_rss += 10
        # stderr goes to a file: a pipe nobody drains fills in an hour and blocks play's last line.
        summary = [line for line in open(os.path.join(d, "stderr.txt")).read().splitlines() if line.startswith("played")]
        evs = events(os.path.join(d, "ev.jsonl"))
        print(f"{seconds} s session {' '.join(extra)}, AMD/Intel: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}")
        for when, slot, at, trailer in killed:
            pair = 0.0 if trailer in (-1, slot) else next((e["t"] - when for e in evs if e["event"] == "trailer_released" and e["t"] >= when), float("nan"))
            rebuilt = next((e["t"] - when for e in evs if e["event"] == "resynced" and e["slot"] == slot and e["t"] >= when), float("nan"))
            print(f"kill at {at:7.0f} s: verified pair after {pair * 1000:8.1f} ms, the lost replica rebuilt and verified after {rebuilt:7.2f} s")
        print(f"RSS of the audio process: {rss[0] / 1024:.1f} MiB at start, {max(rss) / 1024:.1f} MiB at most, {rss[-1] / 1024:.1f} MiB at the end")
        killed_pids = {pid for pid in killed_pids}
        others = collections.Counter(f'{e["event"]} {e.get("reason", e.get("code", ""))}' for e in evs
                                     if e["event"] in ("killed", "exited", "hung", "slow") and e.get("pid") not in killed_pids)
        print("losses the bench did not cause: " + (", ".join(f"{k} x{n}" for k, n in sorted(others.items())) or "none"))
        switches = collections.Counter(e["event"] for e in evs if e["event"].startswith("deadline_switch") or e["event"].startswith("quarantine"))
        print("deadline switches: " + (", ".join(f"{k} x{n}" for k, n in sorted(switches.items())) or "none"))
        print(summary[-1] if summary else "(no summary line)")
        keep = "/tmp/perpetuo-bench/long-show-last"
        os.makedirs(keep, exist_ok=True)
        for f in ("ev.jsonl", "stderr.txt"):
            shutil.copy(os.path.join(d, f), os.path.join(keep, f))


if __name__ == "__main__":
    main()
