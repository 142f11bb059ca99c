#!/usr/bin/env bash
# Issue 2's benchmark: Su et al.'s one-pixel attack (paper settings) on the first N correctly classified
# CIFAR-10 fixture images with ResNet-20 (ONNX). Prints the figures recorded in docs/benchmarks.md.
# Usage: bench/one-pixel-cifar10.sh [N=100] [SEED=1]     (about 15 minutes for N=100 on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
mkdir -p bench/results
exec java -Xmx4g -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" dev.pixelguard.bench.OnePixelBenchmark \
  "$root/../shared" "${1:-100}" "${2:-1}" "bench/results/one-pixel-cifar10-seed${2:-1}.json"
