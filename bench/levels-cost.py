#!/usr/bin/env python3
# What one /perpetuo/levels request costs the audio process's control thread, against /perpetuo/status (what a page
# would otherwise poll): `play --output null` (two workers), then N requests of each kind back to back (each reply
# awaited), control-thread CPU (utime+stime of its task) and allocation (status allocated_bytes) per request, the
# idle rate measured for as long first and subtracted. Usage: bench/levels-cost.py [N]   (build first)
import json, os, pathlib, socket, subprocess, sys, time

root = pathlib.Path(__file__).resolve().parents[1]
exe = str(root / "src/Perpetuo.Cli/bin/Release/net10.0/perpetuo")
n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
tick = os.sysconf("SC_CLK_TCK")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
play = subprocess.Popen([exe, "play", "--output", "null", "--osc", f"127.0.0.1:{port}", "--quiet"], stderr=subprocess.DEVNULL)
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); client.settimeout(2)

def message(address):
    a = address.encode() + b"\0"; a += b"\0" * (-len(a) % 4); return a + b",\0\0\0"

def ask(address):
    client.sendto(message(address), ("127.0.0.1", port)); return client.recv(65536)

def status():
    r = ask("/perpetuo/status"); return json.loads(r[r.index(b"{"):].rstrip(b"\0").decode())

def control_cpu():
    for tid in os.listdir(f"/proc/{play.pid}/task"):
        if open(f"/proc/{play.pid}/task/{tid}/comm").read().strip() == "perpetuo-contro":
            f = open(f"/proc/{play.pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12])) / tick
    raise SystemExit("no control thread")

try:
  time.sleep(6)
  ask("/perpetuo/levels")
  results = {}
  for address in ["/perpetuo/levels", "/perpetuo/status"]:
      # the control thread's idle rate, over as long as the requests will take
      c0 = control_cpu(); t0 = time.time(); time.sleep(3); idle = (control_cpu() - c0) / (time.time() - t0)
      count = n if address == "/perpetuo/levels" else n // 5
      a0 = status()["allocated_bytes"]; c0 = control_cpu(); t0 = time.time()
      for i in range(count):
          ask(address)
          if address == "/perpetuo/status" and i % 10 == 9:
              time.sleep(0.1)  # within the reply budget (256 KiB/s): about 100 statuses a second
      dt = time.time() - t0; c1 = control_cpu(); a1 = status()["allocated_bytes"]
      results[address] = {"requests": count, "seconds": round(dt, 2),
                          "control_cpu_us_per_request": round(((c1 - c0) - idle * dt) / count * 1e6, 1),
                          "allocated_bytes_per_request": round((a1 - a0) / count, 1)}
      print(json.dumps({address: results[address]}), flush=True)
  s1 = status()
  print(json.dumps({"gc_collections": s1["gc_collections"], "underruns": s1["underruns"]}))
finally:
  play.terminate(); play.wait()
