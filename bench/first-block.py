#!/usr/bin/env python3
"""Start-up of `perpetuo play --output null`: seconds from the fork to the first block heard (status seq > 0),
polled over OSC every 20 ms.

usage: first-block.py EXE PORT      (e.g. /tmp/perpetuo-bench/jit/perpetuo 9562)
"""
import subprocess, sys, time, socket, struct
exe=sys.argv[1]; port=int(sys.argv[2])
def osc(addr):
    a=addr.encode()+b'\0'; a+=b'\0'*((4-len(a)%4)%4); t=b',\0\0\0'; return a+t
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(0.05)
t0=time.monotonic()
p=subprocess.Popen([exe,"play","--output","null","--seconds","4","--osc",f"127.0.0.1:{port}","--quiet"],stderr=subprocess.DEVNULL)
first=None
while time.monotonic()-t0<10 and first is None:
    try:
        s.sendto(osc("/perpetuo/status"),("127.0.0.1",port)); d=s.recv(65536)
        i=d.find(b'{"seq":'); 
        if i>=0:
            seq=int(d[i+7:d.find(b',',i)])
            if seq>0: first=time.monotonic()-t0
    except Exception: pass
    time.sleep(0.02)
p.wait(); print(f"first block heard after {first:.2f} s")
