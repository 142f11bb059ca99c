#!/usr/bin/env bash
# Issue 29's figures: certified one-pixel and 2x2-patch robustness by double masking on the CIFAR-10 fixtures, masks
# and fill chosen on images 466-931, figures on images 0-465 (ResNet-20, ResNet-32, the two as one ensemble).
# Usage: bench/certify-cifar10.sh [SECTION...]      sections: baseline pixel patch attacks (default: pixel patch)
#        JAVA_OPTS="-Dmasks=lattice:6 -Dfill=biharmonic" bench/certify-cifar10.sh pixel   skip the choice
#        JAVA_OPTS="-Dattack.images=100 -Dscan.images=10" bench/certify-cifar10.sh attacks
# Timings: about 10 minutes per model on an idle 2-core machine for pixel; attacks take hours at the defaults.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
sections=("$@"); [[ ${#sections[@]} -gt 0 ]] || sections=(pixel patch)
mkdir -p bench/results
# shellcheck disable=SC2086
exec java -Xmx4g ${JAVA_OPTS:-} -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.CertifyBenchmark "$root/../shared" bench/results/certify "${sections[@]}"
