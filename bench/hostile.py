#!/usr/bin/env python3
"""Hostile inputs against a real engine: does the audio keep playing, identical to its journal's render?

usage: hostile.py PERPETUO [SECONDS] [SEED]      (PERPETUO: the executable, e.g. from bench/perpetuo-exe.sh)

Starts `perpetuo play --output wav:out.wav` with a journal, an events file and a patch directory, then runs each
class of hostile input an attacker or an unlucky user can produce (OSC datagrams of any size and content, patch
names that point at FIFOs, devices, links, huge or deep files, the shared memory itself). Between classes it asks
for the status and times the answer (a stalled control thread shows here). At the end it checks: play exited 0,
no underrun, the status always answered, and out.wav equals `perpetuo render --journal` byte for byte. Prints one
line per class: what it tried, and what happened. Seeded: the same seed sends the same bytes. Loopback only.
"""
import os, random, socket, struct, subprocess, sys, tempfile, time, json, glob

def pad(b):
    return b + b"\0" * (4 - len(b) % 4)

def osc_string(s):
    return pad(s.encode() if isinstance(s, str) else s)

def message(address, *args):
    tags, data = ",", b""
    for a in args:
        if isinstance(a, float):
            tags += "f"; data += struct.pack(">f", a)
        elif isinstance(a, int):
            tags += "i"; data += struct.pack(">i", a)
        else:
            tags += "s"; data += osc_string(a)
    return osc_string(address) + osc_string(tags) + data

def bundle(timetag, *elements):
    out = b"#bundle\0" + struct.pack(">Q", timetag)
    for e in elements:
        out += struct.pack(">i", len(e)) + e
    return out

NOW = 1  # OSC "immediately"

def ntp(seconds_ahead):
    t = time.time() + 2208988800 + seconds_ahead
    return (int(t) << 32) | int((t % 1) * (1 << 32))

class Engine:
    def __init__(self, exe, workdir, seconds, port):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.status_ms = []
        self.proc = subprocess.Popen(
            [exe, "play", "--output", "wav:out.wav", "--seconds", str(seconds), "--journal", "j.jsonl",
             "--events", "events.jsonl", "--osc", f"127.0.0.1:{port}", "--patch-dir", "patches", "--quiet"],
            cwd=workdir, stderr=subprocess.PIPE, text=True)

    def send(self, data):
        try:
            self.sock.sendto(data, ("127.0.0.1", self.port))
        except OSError:
            pass  # larger than a datagram: the kernel refuses it, nothing reaches the engine

    def drain(self):
        n = 0
        self.sock.settimeout(0.05)
        try:
            while True:
                self.sock.recv(70000); n += 1
        except socket.timeout:
            pass
        self.sock.settimeout(0.5)
        return n

    def status(self):
        self.drain()
        t0 = time.monotonic()
        self.send(message("/perpetuo/status"))
        deadline = t0 + 2
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(70000)
            except socket.timeout:
                continue
            if data.startswith(b"/perpetuo/status"):
                ms = (time.monotonic() - t0) * 1000
                self.status_ms.append(ms)
                return ms
        self.status_ms.append(float("inf"))
        return float("inf")

def osc_classes(rng):
    yield "random bytes (1..65507 B)", [bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 7, 64, 1500, 9000]))) for _ in range(40)]
    yield "truncated messages", [message("/perpetuo/param", "filter", "cutoff", 400.0)[:k] for k in range(1, 36)]
    deep = message("/perpetuo/notes/off")
    for _ in range(12):
        deep = bundle(NOW, deep)
    yield "bundles nested 12 deep", [deep] * 20
    yield "256 status requests in one bundle", [bundle(NOW, *[message("/perpetuo/status")] * 256)] * 30
    yield "3,000 unknown addresses in one bundle", [bundle(NOW, *[message("/x")] * 3000)] * 30
    yield "257 notes-off in one bundle (one over the limit)", [bundle(NOW, *[message("/perpetuo/notes/off")] * 257)] * 10
    yield "future bundle + 255 immediate", [bundle(NOW, bundle(ntp(0.5), message("/perpetuo/notes/off")),
                                                     *[message("/perpetuo/param", "filter", "resonance", 0.3)] * 255)] * 20
    yield "time tags far ahead and long past", [bundle(t, message("/perpetuo/param", "filter", "cutoff", 900.0))
                                                for t in (ntp(10 ** 7), ntp(86401), ntp(-10 ** 6), 2, (1 << 64) - 1)]
    yield "NaN, Inf, huge values, long ids", [message("/perpetuo/param", "filter", "cutoff", v) for v in (float("nan"), float("inf"), 1e38, -1e38)] + \
        [message("/perpetuo/module/add", "gain", "x" * n) for n in (41, 200, 5000)] + [message("/perpetuo/param", "filter", "cutoff", 800.0, 1e9)]
    yield "modules past the chain limit", [message("/perpetuo/module/add", "gain", f"g{i}") for i in range(300)] + \
        [message("/perpetuo/module/remove", f"g{i}") for i in range(300)]

def patch_classes(patches):
    def make(name, kind):
        path = os.path.join(patches, name)
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            os.mkdir(path)
        elif kind == "zero":
            os.symlink("/dev/zero", path)
        elif kind == "passwd":
            os.symlink("/etc/passwd", path)
        elif kind == "huge":
            with open(path, "wb") as f:
                f.truncate(2 << 30)  # 2 GiB, sparse
        elif kind == "deep":
            with open(path, "w") as f:
                f.write("[" * 900_000)
        elif kind == "binary":
            with open(path, "wb") as f:
                f.write(os.urandom(500_000))
        return name
    names = [make("fifo.json", "fifo"), make("dir.json", "dir"), make("zero.json", "zero"), make("passwd.json", "passwd"),
             make("huge.json", "huge"), make("deep.json", "deep"), make("binary.json", "binary"),
             "", "/dev/zero", "../../etc/passwd.json", ".json", "missing.json", "a" * 300 + ".json"]
    yield "patch/load of FIFOs, devices, links, 2 GiB, deep and binary files, paths", \
        [message("/perpetuo/patch/load", n) for n in names for _ in range(3)]

def shm_class(pid):
    """Tries to shrink every shared-memory file the engine has open (a truncated mapping is SIGBUS)."""
    tried, refused = 0, 0
    for fd in glob.glob(f"/proc/{pid}/fd/*"):
        target = os.readlink(fd) if os.path.islink(fd) else ""
        if "memfd:perpetuo" in target or "/dev/shm" in target:  # ours (not the runtime's own W^X "doublemapper")
            tried += 1
            try:
                os.truncate(fd, 0)
            except OSError:
                refused += 1
    return tried, refused

def main():
    exe = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    work = tempfile.mkdtemp(prefix="perpetuo-hostile-")
    patches = os.path.join(work, "patches")
    os.mkdir(patches)
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    engine = Engine(exe, work, seconds, port)
    while engine.status() == float("inf"):
        if engine.proc.poll() is not None:
            sys.exit("play did not start: " + engine.proc.stderr.read())
    engine.status_ms.clear()  # the waits for start-up are not answers a running engine failed to give
    started = time.monotonic()
    rows = []
    for name, packets in list(osc_classes(rng)) + list(patch_classes(patches)):
        t0 = time.monotonic()
        for p in packets:
            engine.send(p)
        replies = engine.drain()
        ms = engine.status()
        rows.append((name, len(packets), replies, ms, time.monotonic() - started, time.time()))
    tried, refused = shm_class(engine.proc.pid)
    rows.append((f"truncate shared memory ({tried} files; {refused} refused)", tried, 0, engine.status(), time.monotonic() - started, time.time()))
    code = engine.proc.wait(timeout=seconds + 60)
    err = engine.proc.stderr.read()
    render = subprocess.run([exe, "render", "--journal", "j.jsonl", "--seconds", str(seconds), "--out", "ref.wav"],
                            cwd=work, capture_output=True, text=True)
    same = render.returncode == 0 and open(os.path.join(work, "ref.wav"), "rb").read() == open(os.path.join(work, "out.wav"), "rb").read()
    import datetime
    slow_at = [(datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp(), e["ms"])
               for e in map(json.loads, open(os.path.join(work, "events.jsonl"))) if e["event"] == "slow_tick"]
    print(f"{'class':<72} {'sent':>5} {'replies':>7} {'status ms':>9} {'done at s':>9} {'slow ticks (ms)':>16}")
    previous = 0.0
    for name, sent, replies, ms, at, wall in rows:
        mine = [f"{t:.1f}" for w, t in slow_at if previous < w <= wall]
        previous = wall
        print(f"{name:<72} {sent:>5} {replies:>7} {ms:>9.1f} {at:>9.1f} {' '.join(mine) or '-':>16}")
    summary = [l for l in err.splitlines() if l.startswith("played ")]
    print(f"play exit {code}; {summary[-1] if summary else err[-400:]}")
    print(f"status answered every time: {all(m != float('inf') for m in engine.status_ms)}; slowest {max(engine.status_ms):.1f} ms")
    print(f"out.wav equals render --journal: {same}")
    slow = [json.loads(l)["ms"] for l in open(os.path.join(work, "events.jsonl")) if '"slow_tick"' in l]
    print(f"control ticks over 5 ms (slow_tick events): {len(slow)}{'; longest %.1f ms' % max(slow) if slow else ''}")
    ok = code == 0 and same and " 0 underruns" in (summary[-1] if summary else "")
    print("PASS" if ok else f"FAIL (work dir kept: {work})")
    sys.exit(0 if ok else 1)

if __name__ == "__main__":
    main()
