#!/usr/bin/env python3
"""The audio gap of a deterministic fault, per fault kind, measured on a real engine from outside.

usage: faults.py EXE [RUNS] [RING_DEPTH] [MODES] [SLOTS] [BLOCK] [PLAY_OPTION...]
       (e.g. /tmp/perpetuo-bench/jit/perpetuo 5 3 crash,hang 3 64 --keep-cpus-awake)

The gap counts the underruns from the fault's block on (the first block a worker failed at, the module was
quarantined at, or a deadline switch bypassed it). PLAY_OPTIONs go to `play` as they are (--keep-cpus-awake: this
VM's idle vCPUs wake threads up to 30 ms late, docs/performance.md, "The machine's floor").

BLOCK is play's --block (default 256 frames). Each row also gives a phase's time, median and range over the runs,
from the events file: the first worker failure (`worker_failed_in_module`, `exited`, `hung` or `killed`) to
`module_quarantined` ("to quarantine"; negative when the quarantine came first: the trailer caught the fault at the
module's boundary, or the deadline switch fired, before any leader was declared failed).

SLOTS is play's --slots (default 3: two leaders and the trailing replica, which plays the fault's block without the
module; with 3 the spare setting does not change the gap, so only "spare yes" runs).

For each mode of the test-only fault module (crash, hang, nan, exception), with and without the warm spare
worker (play --no-spare-worker), RUNS times:
  EXE play --allow-fault-injection --output wav:out.wav --seconds 10 --ring-depth RING_DEPTH --events F --journal J
then over OSC (oscsend, from liblo-tools): /perpetuo/module/add fault fx, mode M, and `armed 1` at ~5 s (the
spare worker is ready by then: it starts a second after the pair is whole and compiles at the lowest priority). From the
events file: the underrun blocks (the gap), the time from the first worker failure to the quarantine, and the
module_quarantined event; then `EXE render --journal J` must equal out.wav outside the gap (checked here, block by
block, and reported as "exact"). Prints, per mode and spare setting, the median gap in blocks and milliseconds
with its range. Block size is play's default (256 frames at 48 kHz: 5.33 ms). The events of every run with a gap are
kept in /tmp/perpetuo-bench/faults-gaps/.

Modes lv2-segv, lv2-abort, lv2-exit, lv2-divzero, lv2-stack, lv2-spin, lv2-block and lv2-nan run the same through a
real native LV2 plugin, the tests' urn:perpetuo:test:fault (tests/native/perpetuo-test.lv2, built here with gcc and
lv2-dev into a temporary LV2_PATH entry), in a patch seq -> synth -> fx -> gain, armed at ~5 s: SIGSEGV, abort(),
exit(3), an integer division by zero, a stack overflow, a busy loop, blocking forever, NaN out. Each is expected
quarantined as a crash, a hang or nan (the reason of `quarantine_confirmed` when a deadline switch came first).
"""
import array, datetime, json, math, os, shutil, socket, statistics, struct, subprocess, sys, tempfile, time

FRAMES, RATE, CH = 256, 48000, 2  # FRAMES: play's --block, set from BLOCK
EXTRA = []  # options for play, after BLOCK
MODES = {"crash": 1, "hang": 2, "nan": 3, "exception": 4}
NATIVE = {"lv2-segv": (1, "crash"), "lv2-abort": (2, "crash"), "lv2-exit": (3, "crash"), "lv2-divzero": (4, "crash"),
          "lv2-stack": (5, "crash"), "lv2-spin": (6, "hang"), "lv2-block": (7, "hang"), "lv2-nan": (8, "nan")}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_test_plugins(into):
    """The tests' native plugins, built as TestPlugins.cs builds them; returns the LV2_PATH entry."""
    src = os.path.join(ROOT, "tests", "native", "perpetuo-test.lv2")
    bundle = os.path.join(into, "perpetuo-test.lv2")
    os.makedirs(bundle, exist_ok=True)
    for f in os.listdir(src):
        if f.endswith(".ttl"):
            shutil.copy(os.path.join(src, f), bundle)
        elif f.endswith(".c"):
            subprocess.run(["gcc", "-std=c11", "-D_DEFAULT_SOURCE", "-O2", "-shared", "-fPIC", "-o",
                            os.path.join(bundle, f[:-2] + ".so"), os.path.join(src, f), "-lm", "-lpthread"], check=True)
    return into


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def played_blocks(port):
    """The engine's output position (its status over OSC), or -1 while it does not answer."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    pad = lambda b: b + b"\0" * (4 - len(b) % 4)
    try:
        s.sendto(pad(b"/perpetuo/status") + pad(b","), ("127.0.0.1", port))
        d, _ = s.recvfrom(1 << 20)
        i = d.index(b",s\0\0") + 4
        return json.loads(d[i:d.index(b"\0", i)].decode())["seq"]
    except (OSError, ValueError):
        return -1
    finally:
        s.close()


def send(port, *args):
    subprocess.run(["oscsend", "127.0.0.1", str(port), *args], check=True)


def samples(path):
    d = open(path, "rb").read()
    i = d.find(b"data")
    n = struct.unpack("<I", d[i + 4:i + 8])[0]
    a = array.array("f")
    a.frombytes(d[i + 8:i + 8 + n])
    return a


def events(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line.endswith("}"):
            e = json.loads(line)
            e["t"] = datetime.datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()
            out.append(e)
    return out


def to_quarantine_ms(evs):
    """The first failure of a worker in the module to its quarantine, in ms (nan when either is missing)."""
    q = next((e for e in evs if e["event"] == "module_quarantined"), None)
    f = next((e for e in evs if e["event"] in ("worker_failed_in_module", "hung", "exited", "killed") and (q is None or e["t"] <= q["t"])
              and e.get("code") != 0), None)
    return (q["t"] - f["t"]) * 1000 if q and f else float("nan")


def fault_block(evs):
    """The block the fault struck at: where the module was quarantined, a worker failed in it, or a switch bypassed it."""
    at = [e["block"] for e in evs if e["event"] in ("module_quarantined", "worker_failed_in_module", "deadline_switch")]
    return min(at) if at else None


def underrun_blocks(evs):
    """Every block played as silence."""
    blocks = set()
    for e in evs:
        if e["event"] == "underrun":
            blocks.add(e["seq"])
        elif e["event"] == "underruns":
            blocks.update(range(e["first"], e["last"] + 1))
    return blocks


def gap_blocks(evs):
    """The underrun blocks from the fault's block on (an underrun before it, at the module's add say, is not the fault's)."""
    start = fault_block(evs)
    return {b for b in underrun_blocks(evs) if start is None or b >= start}


def run_once(exe, mode, spare, depth, slots, lv2_path):
    with tempfile.TemporaryDirectory(prefix="perpetuo-faults-") as d:
        port = free_udp_port()
        args = [exe, "play", "--allow-fault-injection", "--output", "wav:out.wav", "--seconds", "10", "--ring-depth", str(depth),
                "--osc", f"127.0.0.1:{port}", "--events", "ev.jsonl", "--journal", "j.jsonl", "--slots", str(slots), "--block", str(FRAMES), "--quiet"]
        args += EXTRA
        env = dict(os.environ)
        if mode in NATIVE:
            open(os.path.join(d, "fx.json"), "w").write(json.dumps({"modules": [
                {"type": "seq", "id": "seq", "params": {"bpm": 150}}, {"type": "synth", "id": "synth"},
                {"type": "lv2:urn:perpetuo:test:fault", "id": "fx", "params": {"mode": NATIVE[mode][0]}},
                {"type": "gain", "id": "gain", "params": {"gain": 0.5}}]}))
            args += ["--patch", "fx.json"]
            env["LV2_PATH"] = f"{lv2_path}:/usr/lib/lv2"
        if not spare:
            args.append("--no-spare-worker")
        p = subprocess.Popen(args, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(4.5)  # the spare is started a second after the pair is whole, and compiles at the lowest priority
        # A patch with a plugin takes longer to start (the plugin's check): wait for 3.5 s of audio in any case, as the
        # engine of a managed-only patch has played by now (the deadline switch is armed after the first second).
        while p.poll() is None and played_blocks(port) < 3.5 * RATE / FRAMES:
            time.sleep(0.1)
        if mode not in NATIVE:
            send(port, "/perpetuo/module/add", "sssf", "fault", "fx", "mode", str(float(MODES[mode])))
        time.sleep(0.5)
        send(port, "/perpetuo/param", "ssf", "fx", "armed", "1")
        p.wait(timeout=60)
        evs = events(os.path.join(d, "ev.jsonl"))
        q = [e for e in evs if e["event"] == "module_quarantined"]
        gap = gap_blocks(evs)
        subprocess.run([exe, "render", "--journal", "j.jsonl", "--seconds", "10", "--out", "ref.wav"], cwd=d, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        a, b = samples(os.path.join(d, "out.wav")), samples(os.path.join(d, "ref.wav"))
        n = FRAMES * CH
        silent = underrun_blocks(evs)  # what was played as silence, before the fault too, is not compared
        bad = [k for k in range(min(len(a), len(b)) // n)
               if k not in silent and (k - 1) not in silent and a[k * n:(k + 1) * n] != b[k * n:(k + 1) * n]]
        # A heard deadline switch quarantines as a hang at once; the leaders' evidence names it later (a crash at a
        # short block is late before it is dead).
        confirmed = next((e["reason"] for e in evs if e["event"] == "quarantine_confirmed" and e["module"] == "fx"), None)
        reason = confirmed or (q[0]["reason"] if q else None)
        if gap:  # kept for a look: what happened around a gap
            keep = "/tmp/perpetuo-bench/faults-gaps"
            os.makedirs(keep, exist_ok=True)
            shutil.copy(os.path.join(d, "ev.jsonl"), os.path.join(keep, f"{mode}-{FRAMES}-{int(time.time())}-{len(gap)}.jsonl"))
        expected = NATIVE[mode][1] if mode in NATIVE else mode
        return len(gap), len(q) == 1 and q[0]["module"] == "fx" and reason == expected, not bad, to_quarantine_ms(evs)


def main():
    global FRAMES, EXTRA
    exe = sys.argv[1]
    EXTRA = sys.argv[7:]
    FRAMES = int(sys.argv[6]) if len(sys.argv) > 6 else 256
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    block_ms = 1000.0 * FRAMES / RATE
    print(f"ring depth {depth} ({depth * block_ms:.1f} ms of lead), {runs} runs each, block {FRAMES} frames ({block_ms:.2f} ms)")
    print(f"{'mode':10} {'spare':6} {'gap blocks: median [min-max]':30} {'gap ms (median)':16} {'quarantined':12} {'exact':6} to quarantine ms (median [min-max])")
    modes = sys.argv[4].split(",") if len(sys.argv) > 4 else list(MODES)
    plugins = tempfile.TemporaryDirectory(prefix="perpetuo-faults-lv2-")
    lv2_path = build_test_plugins(plugins.name) if any(m in NATIVE for m in modes) else None
    slots = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    print(f"--slots {slots} {' '.join(EXTRA)}")
    for mode in modes:
        for spare in ((True,) if slots == 3 else (True, False)):
            results = [run_once(exe, mode, spare, depth, slots, lv2_path) for _ in range(runs)]
            gaps = [g for g, _, _, _ in results]
            named = sum(1 for _, ok, _, _ in results if ok)
            exact = sum(1 for _, _, ok, _ in results if ok)
            phase = [t for _, _, _, t in results if not math.isnan(t)]
            phase_text = f"{statistics.median(phase):.1f} [{min(phase):.1f}-{max(phase):.1f}]" if phase else "-"
            med = statistics.median(gaps)
            print(f"{mode:10} {'yes' if spare else 'no':6} {f'{med:g} [{min(gaps)}-{max(gaps)}]':30} {med * block_ms:<16.1f} "
                  f"{named}/{runs:<10} {f'{exact}/{runs}':6} {phase_text}", flush=True)


if __name__ == "__main__":
    main()
