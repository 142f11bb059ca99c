#!/usr/bin/env bash
# Issue 13's load figures for 'pixelguard serve' on 127.0.0.1 (docs/benchmarks.md, "Serving"):
#   ResNet-20 served by the real command, wrk (Debian package) with 64 connections sending single images, every
#   answer compared byte for byte with the local model's; throughput beside local ONNX Runtime at batch 64
#   measured in the same run (before and after); latency percentiles; the server's resident memory every 10 s
#   over at least 100,000 requests; then overload (a queue of 64 images, 256 connections): 503s, no crash.
# Usage: bench/serve-load.sh [SECONDS [CONNECTIONS [json|binary]]]   (defaults 100, 64 and json: images as JSON
#        numbers; binary: as little-endian floats after a JSON header, the v2 binary tensor extension;
#        loopback only; about 3 minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-100}"
connections="${2:-64}"
encoding="${3:-json}"
command -v wrk >/dev/null || { echo "serve-load: needs wrk (apt-get install wrk)" >&2; exit 2; }
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench,cli -am
cp="bench/target/pixelguard-bench.jar:bench/target/lib/*"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
java -Xmx1g -cp "$cp" dev.pixelguard.bench.ServeBenchmark prepare "$root/../shared" "$work"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
read -r before one parallel < <(java -Xmx1g -cp "$cp" dev.pixelguard.bench.ServeBenchmark local "$root/../shared")
echo "local ONNX Runtime, ResNet-20, batch 64: $before images/s (one session on all cores $one; $(nproc) single-threaded sessions side by side $parallel)"

serve() { # PORT EXTRA...: starts pixelguard serve in the background and waits until it is ready
  local port=$1; shift
  java -Xmx1g -jar cli/target/pixelguard.jar serve -m "$root/../shared/models/cifar10-resnet20.onnx" \
    --name resnet20 --port "$port" "$@" > "$work/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && { sed -n 1,5p "$work/serve-$port.log"; return; }
    sleep 0.2
  done
  cat "$work/serve-$port.log" >&2; exit 1
}
url=http://127.0.0.1:18931/v2/models/resnet20/infer
serve 18931
pid=${pids[-1]}
wrk -t2 -c"$connections" -d10s -s bench/serve-load.lua "$url" -- "$work" "$encoding" > /dev/null   # warm-up
( for i in $(seq $((seconds / 10))); do sleep 10; echo "  after ${i}0 s: server resident $(($(awk '/VmRSS/{print $2}' /proc/$pid/status) / 1024)) MiB"; done ) &
sampler=$!
echo "load: $connections connections, single images as $encoding, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s bench/serve-load.lua "$url" -- "$work" "$encoding"
wait $sampler
curl -s http://127.0.0.1:18931/metrics | grep -E '^pixelguard_batch_images_(sum|count)|^pixelguard_request_duration_seconds\{' | sed 's/^/  /'
kill -TERM "$pid"; wait "$pid" || true
read -r after one parallel < <(java -Xmx1g -cp "$cp" dev.pixelguard.bench.ServeBenchmark local "$root/../shared")
echo "local ONNX Runtime again: $after images/s ($one; $parallel); mean of the two runs: $(( (before + after) / 2 ))"

serve 18932 --queue 64
pid=${pids[-1]}
echo "overload: 256 connections, a queue of 64 images, 15 s"
wrk -t2 -c256 -d15s --timeout 10s -s bench/serve-load.lua http://127.0.0.1:18932/v2/models/resnet20/infer -- "$work" "$encoding"
echo "ready afterwards: $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18932/v2/health/ready); server alive: $(kill -0 "$pid" && echo yes)"
kill -TERM "$pid"; wait "$pid" || true
