#!/bin/bash
# The live input's round trip, measured by jackd2's jack_iodelay through a real-time JACK dummy server: its signal
# goes jack_delay:out -> perpetuo:in_1 -> (both workers, a patch that is just `input`) -> perpetuo:out_1 ->
# jack_delay:in. First the direct loop (jack_delay:out -> jack_delay:in: one period), then every block x depth.
# usage: bench/round-trip.sh EXE [BLOCKS] [DEPTHS]    e.g. bench/round-trip.sh out/perpetuo "32 64 128 256" "2 3"
# As root for real-time priorities (jackd -R). Prints one line per setting: frames, ms, and the play summary.
exe=$1; blocks=${2:-"32 64 128 256"}; depths=${3:-"2 3"}
export JACK_NO_AUDIO_RESERVATION=1 JACK_DEFAULT_SERVER=perpetuo-rt-$$
dir=$(mktemp -d); echo '{"modules":[{"type":"input","id":"in"}]}' > $dir/through.json
measure() { # PORT_OUT PORT_IN -> prints the last "N frames" reported
  (timeout -s INT 6 stdbuf -o0 jack_iodelay > $dir/iodelay.log 2>&1 &)
  sleep 1; jack_connect jack_delay:out "$1"; jack_connect "$2" jack_delay:in; sleep 5.5
  tr '\r' '\n' < $dir/iodelay.log | grep -o '[0-9.]* frames *[0-9.]* ms total roundtrip latency' | tail -1
}
for block in $blocks; do
  jackd -R -P 70 -n $JACK_DEFAULT_SERVER -d dummy -r 48000 -p $block > $dir/jackd.log 2>&1 &
  jackd=$!; jack_wait -w -t 10 > /dev/null 2>&1
  echo "period $block, direct loop: $(measure jack_delay:in jack_delay:out | sed "s/ *total roundtrip latency//")"
  for depth in $depths; do
    $exe play --patch $dir/through.json --inputs 1 --output jack --no-connect --block $block --ring-depth $depth \
        --no-limiter --seconds 9 --osc none --quiet > $dir/play.log 2>&1 &
    play=$!; sleep 2
    m=$(measure perpetuo:in_1 perpetuo:out_1 | sed 's/ *total roundtrip latency//')
    wait $play
    echo "block $block x depth $depth: $m | $(tail -1 $dir/play.log)"
  done
  kill $jackd; wait $jackd 2>/dev/null
done
rm -rf $dir
