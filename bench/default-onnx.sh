#!/usr/bin/env bash
# Issue 11's benchmark: the bundled default network on ONNX Runtime against DJL's PyTorch engine, in one run.
#   1. raw throughput of the bundled ONNX export (ONNX Runtime) and of the DJL network, batch 400 and 50;
#   2. README's first command, `./pixelguard evaluate --limit 20` (the default now classifies on ONNX Runtime),
#      and the same evaluation with the same network on DJL (`--model` the bundled .pgm file), each timed
#      end to end, then compared image by image (flipped images, pixels, queries);
#   3. with `compare`: `pixelguard compare` on the bundled models (ONNX Runtime + DJL gradients) against the
#      same models as .pgm files (DJL only).
# Usage: bench/default-onnx.sh [compare]     (about 2 minutes on 2 idle cores; 10 more with compare)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests install
./pixelguard --version >/dev/null   # build the command line now, so the timings below exclude the build
mkdir -p bench/results
defaults=djl/src/main/resources/dev/pixelguard/djl/defaults
bench() { java -Xmx4g -Dai.djl.offline=true -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.DefaultEngineBenchmark "$@"; }
timed() { local t0; t0=$(date +%s.%N); "$@"; echo "wall: $(echo "$(date +%s.%N) - $t0" | bc) s"; }
export SLF4J_SIMPLE_LOG_LEVEL=warn
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench raw 2>/dev/null > bench/results/default-raw.txt
cat bench/results/default-raw.txt
raw=$(awk '/^raw-onnx-400/ {print $2}' bench/results/default-raw.txt)
echo "== README's first command: ./pixelguard evaluate --limit 20 (ONNX Runtime)"
timed ./pixelguard evaluate --limit 20 --results bench/results/default-onnx-20.json | tail -4
echo "== the same on DJL: ./pixelguard evaluate --limit 20 --model $defaults/fashion-cnn.pgm"
timed ./pixelguard evaluate --limit 20 --model "$defaults/fashion-cnn.pgm" --results bench/results/default-djl-20.json \
  | tail -4
bench compare bench/results/default-onnx-20.json bench/results/default-djl-20.json "$raw"
if [[ ${1:-} == compare ]]; then
  echo "== pixelguard compare (bundled: ONNX Runtime for queries, DJL for gradients)"
  timed ./pixelguard compare --quiet --results bench/results/compare-onnx.json | tail -8
  echo "== pixelguard compare on the same networks as .pgm files (DJL only)"
  timed ./pixelguard compare --quiet -m "$defaults/fashion-cnn.pgm" -m "$defaults/fashion-cnn-pgd.pgm" \
    --results bench/results/compare-djl.json | tail -8
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
