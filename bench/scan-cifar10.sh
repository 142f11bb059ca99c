#!/usr/bin/env bash
# Issue 5's oracle: exhaustive one-pixel scan (corner colours by default) of the first N correctly classified
# CIFAR-10 fixture images with ResNet-20 (ONNX), checked against an independent naive enumeration.
# Usage: bench/scan-cifar10.sh [N=100] [LEVELS=2] [--no-check]   (about 9 minutes for N=100 with the check)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
mkdir -p bench/results
exec java -Xmx4g -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" dev.pixelguard.bench.ScanBenchmark \
  "$root/../shared" "${1:-100}" "${2:-2}" "bench/results/scan-cifar10-levels${2:-2}.json" "${3:-}"
