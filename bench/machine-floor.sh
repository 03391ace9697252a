#!/usr/bin/env bash
# The machine's own floor at a live period, with no Perpetuo code running (docs/performance.md, "The machine's floor").
#
#   usage: bench/machine-floor.sh SECONDS [PERIOD_FRAMES] [RATE]        (as root; apt-get install rt-tests stress-ng jackd2)
#
# 1. cyclictest: one SCHED_FIFO 80 thread per core, each woken by a timer every period and doing nothing else; how
#    late each wake-up came, idle and beside one SCHED_IDLE spinner per core (what `play --keep-cpus-awake` does).
#    A thread of ours woken later than the engine's lead (depth x period) cannot be in time, whatever it does.
# 2. jackd2's trivial jack_simple_client (a sine, no redundancy, no shared memory of ours) on a real-time dummy
#    server at the same period, beside the same spinners: how many cycles jackd blames on that client.
# Prints one line per measurement.
set -euo pipefail
seconds=${1:?usage: machine-floor.sh SECONDS [PERIOD_FRAMES] [RATE]}
period=${2:-64}
rate=${3:-48000}
[ "$(id -u)" = 0 ] || { echo "run as root: real-time priorities are what is measured" >&2; exit 1; }
for t in cyclictest stress-ng jackd jack_simple_client; do
  command -v "$t" > /dev/null || { echo "$t is not installed (apt-get install rt-tests stress-ng jackd2)" >&2; exit 1; }
done
interval_us=$(( period * 1000000 / rate ))
work=$(mktemp -d)
spinner=""
trap '[ -n "$spinner" ] && kill "$spinner" 2> /dev/null; rm -rf "$work"' EXIT
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(uname -r); ${seconds} s each; period ${period} frames = ${interval_us} us"

cyclic() { # $1: label
  cyclictest -m -p 80 -t "$(nproc)" -a -i "$interval_us" -D "$seconds" -h 20000 -q > "$work/cyc" 2>&1
  awk -v p="$interval_us" -v label="$1" '
    /^[0-9]/ { for (c = 2; c <= NF; c++) { n[c] += $c; if ($1 >= p) late1[c] += $c; if ($1 >= 2 * p) late2[c] += $c; if ($1 >= 3 * p) late3[c] += $c } cols = NF }
    /^# Max Latencies/ { max = $0; sub(/^# Max Latencies: */, "", max) }
    END {
      line = sprintf("cyclictest %s: max latency per core (us) %s;", label, max)
      for (c = 2; c <= cols; c++) line = line sprintf(" core %d: %d wake-ups, %d >= 1 period, %d >= 2 periods, %d >= 3 periods;", c - 2, n[c], late1[c], late2[c], late3[c])
      print line
    }' "$work/cyc"
}

cyclic "idle"
stress-ng --cpu "$(nproc)" --sched idle --quiet & spinner=$!
sleep 1
cyclic "beside SCHED_IDLE spinners"

server="floor$$"
export JACK_DEFAULT_SERVER=$server JACK_NO_AUDIO_RESERVATION=1
jackd -R -P 70 -n "$server" -d dummy -r "$rate" -p "$period" > "$work/jackd.log" 2>&1 & jackd=$!
for _ in $(seq 100); do jack_lsp > /dev/null 2>&1 && break; sleep 0.1; done
jack_simple_client > /dev/null 2>&1 & client=$!
sleep "$seconds"
kill "$client"; wait "$client" 2> /dev/null || true
kill "$jackd"; wait "$jackd" 2> /dev/null || true
# The same two patterns bench/latency-sweep.py counts for perpetuo: the client still running when the cycle ended,
# or finishing after it.
late=$(grep -Ec "client (= jack_simple_client was not finished, state = Running|jack_simple_client finished after current callback)" "$work/jackd.log" || true)
all=$(grep -c "JackEngine::XRun" "$work/jackd.log" || true)
woken_late=$(grep -c "client = jack_simple_client was not finished, state = Triggered" "$work/jackd.log" || true)
echo "jack_simple_client beside SCHED_IDLE spinners, jackd -R -P 70 -d dummy -p $period: $late xruns blamed on the client (running or finishing late), $woken_late more where it was signalled but not yet running, $all XRun lines in all"
