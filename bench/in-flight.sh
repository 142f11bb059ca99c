#!/usr/bin/env bash
# Issues 11 and 15: the query attack's use of two cores. Raw ONNX Runtime throughput of ResNet-20 (batch 400,
# 1 and 2 intra-op threads), then the guided search on the first IMAGES correctly classified fixture images
# with 1 or 2 engine threads and 1 or 2 batches in flight, in ROUNDS interleaved rounds. Run on an idle machine.
# Usage: bench/in-flight.sh [IMAGES [ROUNDS]]     (default 12 images, 2 rounds: a few minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
exec java -Xmx2g -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" dev.pixelguard.bench.InFlightBenchmark \
  "$root/../shared" "$@"
