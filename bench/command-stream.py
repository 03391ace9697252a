#!/usr/bin/env python3
"""A plugin session under a steady command stream: the audio process's GCs, memory and command log, then a kill.

usage: command-stream.py EXE SECONDS RATE     (e.g. /tmp/perpetuo-bench/jit/perpetuo 300 500)

Plays an oscillator through swh's delay and plate (no checkpoint can be taken of them: the command log keeps every
command since the start for a rebuild) for SECONDS, three slots, ring depth 3, with --journal, while one UDP socket
sends RATE commands a second (a knob on the oscillator's pitch, and a note on/off pair every tenth), each answered.
Every 10 s it samples the audio process's RSS (VmRSS and RssAnon from /proc) and the status (gc_collections,
command_log_held, command_log_spilled). 10 s before the end it SIGKILLs the heard worker and reads the time to the
lost slot's rebuilt worker verified by hash (`resynced`). Prints the samples and the summary line.
"""
import importlib.util, json, os, socket, struct, subprocess, sys, tempfile, time

spec = importlib.util.spec_from_file_location("long_show", os.path.join(os.path.dirname(__file__), "long-show.py"))
ls = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ls)


def osc_string(s):
    b = s.encode() + b"\0"
    return b + b"\0" * ((4 - len(b) % 4) % 4)


def message(address, tags, *args):
    out = osc_string(address) + osc_string("," + tags)
    for t, a in zip(tags, args):
        out += osc_string(a) if t == "s" else struct.pack(">f" if t == "f" else ">i", a)
    return out


def memory(pid):
    rss = anon = -1
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("RssAnon:"):
            anon = int(line.split()[1])
    return rss, anon


def main():
    exe, seconds, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with tempfile.TemporaryDirectory(prefix="perpetuo-command-stream-") as d:
        open(os.path.join(d, "knob.json"), "w").write(json.dumps({"modules": [
            {"type": "osc", "id": "lead", "params": {"freq": 220}},
            {"type": "lv2:http://plugin.org.uk/swh-plugins/delay_l", "id": "echo", "params": {"delay_time": 0.19}},
            {"type": "lv2:http://plugin.org.uk/swh-plugins/plate", "id": "verb", "params": {"time": 2.5, "wet": 0.3}}]}))
        port = ls.free_udp_port()
        osc = f"127.0.0.1:{port}"
        err = open(os.path.join(d, "stderr.txt"), "w")
        p = subprocess.Popen([exe, "play", "--patch", "knob.json", "--output", "null", "--seconds", str(seconds),
                              "--journal", "j.jsonl", "--events", "ev.jsonl", "--osc", osc, "--quiet"],
                             cwd=d, stdout=subprocess.DEVNULL, stderr=err)
        while ls.status(exe, osc) is None:
            time.sleep(0.5)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(2)
        t0 = time.time()
        sent = done = 0
        next_sample = t0
        killed = None
        print(f"{seconds} s, {rate} commands/s, CPU: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}")
        print("   t (s)  VmRSS MiB  RssAnon MiB  GCs  log in memory  log on disk  accepted")
        while time.time() - t0 < seconds - 2:
            now = time.time()
            if now >= next_sample:
                s = ls.status(exe, osc)
                rss, anon = memory(p.pid)
                if s:
                    print(f"{now - t0:8.0f}  {rss / 1024:9.1f}  {anon / 1024:11.1f}  {s['gc_collections']:3d}  {s['command_log_held']:13d}"
                          f"  {s['command_log_spilled']:11d}  {s['commands_accepted']:8d}", flush=True)
                next_sample += 10
            if killed is None and now - t0 >= seconds - 10:
                s = ls.status(exe, osc)
                slot = s["active_slot"]
                os.kill(s["slots"][slot]["pid"], 9)
                killed = (time.time(), slot)
            i = sent
            m = (message("/perpetuo/note/on", "if", 60 + i % 12, 0.7) if i % 20 == 0 else
                 message("/perpetuo/note/off", "i", 60 + (i - 10) % 12) if i % 20 == 10 else
                 message("/perpetuo/param", "ssf", "lead", "freq", 200.0 + 7 * (i % 29)))
            sock.sendto(m, ("127.0.0.1", port))
            sent += 1
            try:
                sock.recv(1024)
                done += 1
            except socket.timeout:
                pass
            lag = t0 + sent / rate - time.time()
            if lag > 0:
                time.sleep(lag)
        p.wait()
        err.close()
        evs = ls.events(os.path.join(d, "ev.jsonl"))
        if killed:
            when, slot = killed
            rebuilt = next((e["t"] - when for e in evs if e["event"] == "resynced" and e["slot"] == slot and e["t"] >= when), float("nan"))
            print(f"kill at {when - t0:.0f} s: the lost replica rebuilt (replayed from block 0) and verified after {rebuilt:.2f} s")
        print(f"commands: {sent} sent, {done} answered")
        print(next((l for l in open(os.path.join(d, "stderr.txt")) if l.startswith("played")), "(no summary line)").strip())


if __name__ == "__main__":
    main()
