#!/usr/bin/env python3
# What one GET /metrics costs the audio process: CPU (utime+stime from /proc/PID/stat) and bytes allocated per
# scrape, and whether scraping causes GCs or underruns. Usage: bench/scrape-cost.py [PORT] [SCRAPES]
# (build first: dotnet build src/Perpetuo.Cli -c Release). Figures in docs/performance.md, "Metrics scrape cost".
import subprocess, time, urllib.request, os, sys, re
import pathlib
P=str(pathlib.Path(__file__).resolve().parents[1] / "src/Perpetuo.Cli/bin/Release/net10.0/perpetuo")
port=int(sys.argv[1]) if len(sys.argv)>1 else 9471
N=int(sys.argv[2]) if len(sys.argv)>2 else 1000
p=subprocess.Popen([P,'play','--output','null','--osc','none','--metrics',f'127.0.0.1:{port}','--quiet'],stderr=subprocess.DEVNULL)
time.sleep(4)
tick=os.sysconf('SC_CLK_TCK')
def cpu():
    f=open(f'/proc/{p.pid}/stat').read().rsplit(')',1)[1].split()
    return (int(f[11])+int(f[12]))/tick
def scrape():
    return urllib.request.urlopen(f'http://127.0.0.1:{port}/metrics').read().decode()
def val(t,n):
    m=re.search('^'+re.escape(n)+r' (\S+)$',t,re.M); return float(m.group(1))
scrape()
# baseline: no scrapes
t0=time.time(); c0=cpu(); a=scrape(); time.sleep(10); b=scrape(); c1=cpu(); t1=time.time()
base_cpu=(c1-c0)/(t1-t0); base_alloc=(val(b,'dotnet_total_allocated_bytes')-val(a,'dotnet_total_allocated_bytes'))/(t1-t0)
# scrapes
a=scrape(); t0=time.time(); c0=cpu()
for i in range(N): body=scrape()
c1=cpu(); t1=time.time(); b=scrape()
dt=t1-t0
cpu_per=((c1-c0)-base_cpu*dt)/N
alloc_per=((val(b,'dotnet_total_allocated_bytes')-val(a,'dotnet_total_allocated_bytes'))-base_alloc*dt)/(N+1)
print(f'body {len(body)} bytes; {N} scrapes in {dt:.2f} s ({dt/N*1000:.2f} ms each, client included)')
print(f'baseline engine: {base_cpu*100:.1f} % CPU, {base_alloc:.0f} B/s allocated')
print(f'audio process CPU per scrape: {cpu_per*1000:.3f} ms (total {c1-c0:.2f} s over {dt:.2f} s)')
print(f'allocated per scrape: {alloc_per/1024:.1f} KiB')
print(f"GCs: before {val(a,'perpetuo_gc_collections_total')}, after {val(b,'perpetuo_gc_collections_total')}; underruns {val(a,'perpetuo_underruns_total')} -> {val(b,'perpetuo_underruns_total')}")
print('callback count', val(b,'perpetuo_callback_duration_seconds_count'), 'sum', val(b,'perpetuo_callback_duration_seconds_sum'))
p.terminate(); p.wait()
