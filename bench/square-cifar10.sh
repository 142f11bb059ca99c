#!/usr/bin/env bash
# Issue 14's Square figure: L-inf 8/255, 5,000 queries, on the 100-image set (ResNet-20, ONNX Runtime).
# Usage: bench/square-cifar10.sh [SEED...]                 pixelguard's default (p_init 0.1), seeds 1 2 3
#        PINIT=0.8 bench/square-cifar10.sh 1                the paper's p_init
#        FROM=466 PINIT=0.2 bench/square-cifar10.sh 1 2      the tuning set, apart from the benchmark set
#        NORM=l2 bench/square-cifar10.sh 1                  the L2 form, eps 0.5 (EPS=... to change it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
seeds=("$@"); [[ ${#seeds[@]} -gt 0 ]] || seeds=(1 2 3)
exec java -Xmx2g -DpInit="${PINIT:-0.1}" -Dfrom="${FROM:-0}" -Dnorm="${NORM:-linf}" ${EPS:+-Deps=$EPS} -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.SquareBenchmark "$root/../shared" "${seeds[@]}"
