#!/usr/bin/env bash
# Issue 5's benchmark: pixelguard's guided search on the first 100 correctly classified CIFAR-10 fixture images
# with ResNet-20 (ONNX), and its comparison with Su et al.'s configuration and the scans.
# Usage: bench/guided-cifar10.sh MODE [SEED=1]
#   MODE: one (1 pixel), k3, k5, label (label-only model), targeted (every other class, 20 images),
#         compare (reads bench/results/*.json from this script, one-pixel-cifar10.sh and scan-cifar10.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
mkdir -p bench/results
exec java -Xmx4g -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" dev.pixelguard.bench.GuidedBenchmark \
  "$root/../shared" "${1:?mode}" "${2:-1}"
