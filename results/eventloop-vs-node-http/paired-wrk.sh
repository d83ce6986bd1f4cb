#!/usr/bin/env bash
# Paired wrk measurement of servers side by side, interleaved run by run (issue 2's method):
#   bash results/eventloop-vs-node-http/paired-wrk.sh RUNS SECONDS "PATHS" LABEL:MODEL ...
#   e.g. bash results/eventloop-vs-node-http/paired-wrk.sh 9 3 "/hello /" el:eventloop nh:node-http
# Starts every server once (from dist/, so `npm run build` first), warms each path up for 1 s, then
# runs `wrk -t1 -c64` on each server in turn, RUNS times per path, and prints per run: path, label,
# requests/s and the server's CPU µs per request (utime+stime from /proc ÷ requests wrk counted).
# Loopback only; every run is bounded by SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=$1; D=$2; PATHS=$3; shift 3
tmp=$(mktemp -d)
declare -A PORT PID
labels=()
trap 'for l in "${labels[@]}"; do kill "${PID[$l]}" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
for spec in "$@"; do
  IFS=: read -r label model <<<"$spec"; labels+=("$label")
  node dist/servers/serve.js --model="$model" --port=0 > "$tmp/$label.out" 2>&1 &
  PID[$label]=$!
done
for l in "${labels[@]}"; do
  for _ in $(seq 50); do grep -q 'listening on' "$tmp/$l.out" && break; sleep 0.1; done
  PORT[$l]=$(grep -o 'http://[^ ]*' "$tmp/$l.out" | sed 's/.*://')
done
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for p in $PATHS; do
  for l in "${labels[@]}"; do wrk -t1 -c64 -d1s "http://127.0.0.1:${PORT[$l]}$p" >/dev/null; done
  for _ in $(seq "$RUNS"); do
    for l in "${labels[@]}"; do
      c0=$(cpu "${PID[$l]}")
      out=$(wrk -t1 -c64 -d"${D}s" "http://127.0.0.1:${PORT[$l]}$p")
      c1=$(cpu "${PID[$l]}")
      n=$(echo "$out" | awk '/requests in/ {print $1}')
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      echo "$p $l $rps $(echo "scale=2; ($c1-$c0)*1000000/$hz/$n" | bc)"
    done
  done
done
