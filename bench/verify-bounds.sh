#!/usr/bin/env bash
# How tight the one-pixel verifier's bounds are, and what a bound pass costs, by colour-box width, on the bundled
# Fashion-MNIST CNN (every position of image 1) and on ResNet-20 (every 7th position of image 1): issue 16.
# Usage: bench/verify-bounds.sh    (about 2 minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
run() { java -Xmx4g -Dai.djl.offline=true -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.VerifyBoundsBenchmark "$@"; }
export SLF4J_SIMPLE_LOG_LEVEL=warn
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
run fashion ../shared 1 1
run resnet20 ../shared 1 7
