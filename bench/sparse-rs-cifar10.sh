#!/usr/bin/env bash
# Issue 14's Sparse-RS figures: untargeted, 10,000 queries, on the 100-image set (ResNet-20, ONNX Runtime).
# Usage: bench/sparse-rs-cifar10.sh [SEED...]                    k = 3, 5 and 10 pixels, seeds 1 2
#        THREAT=patch SIZES=4 bench/sparse-rs-cifar10.sh 1 2      image-specific 4x4 patches
#        THREAT=frame SIZES=1 bench/sparse-rs-cifar10.sh 1        frames 1 pixel wide
#        FROM=466 ALPHA=1.0 SIZES=10 bench/sparse-rs-cifar10.sh 1  the tuning set, apart from the benchmark set
#        BUDGET=20000 ...                                         another query budget
# The guided search's figures to compare with: bench/guided-cifar10.sh k3 (and k5).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
seeds=("$@"); [[ ${#seeds[@]} -gt 0 ]] || seeds=(1 2)
exec java -Xmx2g -Dthreat="${THREAT:-pixels}" -Dsizes="${SIZES:-3,5,10}" -Dfrom="${FROM:-0}" \
  -Dbudget="${BUDGET:-10000}" ${ALPHA:+-Dalpha=$ALPHA} -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.SparseRsBenchmark "$root/../shared" "${seeds[@]}"
