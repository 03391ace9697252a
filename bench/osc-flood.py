#!/usr/bin/env python3
"""Sends `/perpetuo/param ,ssf <module> <param> X` over UDP at a fixed rate, encoding OSC 1.0 itself.

usage: osc-flood.py HOST:PORT RATE SECONDS [MODULE PARAM LO HI]
X sweeps LO..HI (default filter cutoff 300..3000) so every command changes the value. Paced against a
monotonic deadline, so the rate holds even if a send is late. Prints how many were sent."""
import socket, struct, sys, time

def pad(b):
    return b + b"\0" * (4 - len(b) % 4)

def message(address, module, param, value):
    return pad(address.encode()) + pad(b",ssf") + pad(module.encode()) + pad(param.encode()) + struct.pack(">f", value)

def main():
    host, port = sys.argv[1].rsplit(":", 1)
    rate, seconds = float(sys.argv[2]), float(sys.argv[3])
    module, param = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else ("filter", "cutoff")
    lo, hi = (float(sys.argv[6]), float(sys.argv[7])) if len(sys.argv) > 7 else (300.0, 3000.0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    n, total = 0, int(rate * seconds)
    start = time.monotonic()
    while n < total:
        deadline = start + n / rate
        now = time.monotonic()
        if deadline > now:
            time.sleep(deadline - now)
        x = lo + (hi - lo) * ((n % 200) / 199.0)
        s.sendto(message("/perpetuo/param", module, param, x), (host, int(port)))
        n += 1
    print(f"sent {n} commands in {time.monotonic() - start:.1f} s")

if __name__ == "__main__":
    main()
