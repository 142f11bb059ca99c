#!/usr/bin/env bash
# The one-pixel verifier on ResNet-20 and the 100-image benchmark set (the first 100 CIFAR-10 fixture images it
# classifies correctly: images 0-105 of the fixture), issue 16. Prints the verdict counts, the time per
# image, and which images the guided search flips, from the results JSON in OUT.
# Usage: bench/verify-resnet20.sh [OUT=/tmp/verify-resnet20] [TIMEOUT=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-/tmp/verify-resnet20}"
timeout="${2:-10}"
shared="$root/../shared"
mkdir -p "$out"
"$root/pixelguard" --version >/dev/null
rm -rf "$out/jars" && mkdir -p "$out/jars" && cp -r "$root/cli/target/pixelguard.jar" "$root/cli/target/lib" "$out/jars/"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
java -Xmx4g -Dai.djl.offline=true -jar "$out/jars/pixelguard.jar" verify \
  --model "$shared/models/cifar10-resnet20.onnx" --dataset "$shared/data/cifar10/test_batch_subset.bin" \
  --limit 106 --timeout "$timeout" --quiet --results "$out/verify.json" --report "$out/report"
echo "wall: $(( $(date +%s) - start )) s"
jq '.summary' "$out/verify.json"
jq -r '[.images[] | select(.verdict=="vulnerable") | .index] | "vulnerable: \(length) images: \(join(","))"' "$out/verify.json"
jq -r '[.images[] | select(.verdict=="unknown") | .note] | group_by(.) | map("\(length) x \(.[0])") | .[]' "$out/verify.json"
