#!/usr/bin/env python3
# What open pages of `perpetuo web` cost the audio process: `play --output null` (two workers) for SECONDS without
# --web, then with --web and N real pages (headless chromium, tests/Perpetuo.Web.Tests/browser/pages.mjs) open for
# SECONDS. For each run: CPU of the audio process and of its control thread (utime+stime from /proc/PID/task/TID/stat,
# per second of the measured window), the audio process's allocation (status allocated_bytes), GCs and underruns
# (status), and for the pages' run the web process's and chromium's CPU. Usage: bench/web-cost.py [SECONDS] [PAGES]
# (build first: dotnet build src/Perpetuo.Cli -c Release; .ci/run installs chromium and playwright-core).
import json, os, pathlib, socket, subprocess, sys, time

root = pathlib.Path(__file__).resolve().parents[1]
exe = str(root / "src/Perpetuo.Cli/bin/Release/net10.0/perpetuo")
browser_dir = root / "tests/Perpetuo.Web.Tests/browser"
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 120
pages = int(sys.argv[2]) if len(sys.argv) > 2 else 10
tick = os.sysconf("SC_CLK_TCK")

def free_port(kind):
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def osc_status(port):
    msg = b"/perpetuo/status\0\0\0\0,\0\0\0"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
    s.sendto(msg, ("127.0.0.1", port)); data = s.recv(65536); s.close()
    return json.loads(data[data.index(b"{"):].rstrip(b"\0").decode())

def cpu(pid, tid=None):
    path = f"/proc/{pid}/task/{tid}/stat" if tid else f"/proc/{pid}/stat"
    f = open(path).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick

def thread(pid, name):
    for tid in os.listdir(f"/proc/{pid}/task"):
        if open(f"/proc/{pid}/task/{tid}/comm").read().strip() == name:
            return tid
    raise SystemExit(f"no thread {name} in {pid}")

def children(pid, word):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
                if stat[1] == str(pid) and word.encode() in open(f"/proc/{d}/cmdline", "rb").read():
                    out.append(int(d))
            except OSError:
                pass
    return out

def tree_cpu(pid):
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            total += cpu(p)
        except OSError:
            continue
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1] == str(p):
                        todo.append(int(d))
                except OSError:
                    pass
    return total

def run(with_web, with_pages):
    osc = free_port(socket.SOCK_DGRAM)
    args = [exe, "play", "--output", "null", "--osc", f"127.0.0.1:{osc}", "--quiet"]
    web_port = free_port(socket.SOCK_STREAM)
    if with_web:
        args += ["--web", f"127.0.0.1:{web_port}"]
    play = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        return measure(play, osc, web_port, with_web, with_pages)
    finally:
        play.terminate(); play.wait()

def measure(play, osc, web_port, with_web, with_pages):
    time.sleep(6)
    control = thread(play.pid, "perpetuo-contro")
    browser = web = None
    if with_web:
        web = children(play.pid, "\0web\0")[0]
    if with_pages:
        browser = subprocess.Popen(["node", "pages.mjs", f"http://127.0.0.1:{web_port}/", str(pages), str(seconds + 10)],
                                   cwd=browser_dir, stdout=subprocess.PIPE, text=True)
        assert json.loads(browser.stdout.readline())["open"] == pages
        time.sleep(5)  # the pages' own start-up is not the steady cost
    s0 = osc_status(osc); t0 = time.time(); c0 = cpu(play.pid); k0 = cpu(play.pid, control)
    w0 = cpu(web) if web else 0; b0 = tree_cpu(browser.pid) if browser else 0
    time.sleep(seconds)
    s1 = osc_status(osc); t1 = time.time(); c1 = cpu(play.pid); k1 = cpu(play.pid, control)
    w1 = cpu(web) if web else 0; b1 = tree_cpu(browser.pid) if browser else 0
    dt = t1 - t0
    result = {
        "run": f"web, {pages} pages" if with_pages else "web, no page" if with_web else "no web",
        "seconds": round(dt, 1),
        "audio_process_cpu_pct": round(100 * (c1 - c0) / dt, 2),
        "control_thread_cpu_pct": round(100 * (k1 - k0) / dt, 2),
        "audio_allocated_bytes_per_s": round((s1["allocated_bytes"] - s0["allocated_bytes"]) / dt),
        "gc_collections": s1["gc_collections"],
        "underruns": s1["underruns"] - s0["underruns"],
    }
    if with_web:
        result["web_process_cpu_pct"] = round(100 * (w1 - w0) / dt, 2)
    if with_pages:
        result["chromium_cpu_pct"] = round(100 * (b1 - b0) / dt, 2)
        end = json.loads(browser.stdout.readline())
        result["page_errors"] = len(end["errors"])
        browser.wait()
    return result

print(json.dumps(run(False, False)), flush=True)
print(json.dumps(run(True, False)), flush=True)
print(json.dumps(run(True, True)), flush=True)
