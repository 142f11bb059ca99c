#!/usr/bin/env bash
# Issue 12's gate benchmark on the 100-image set (the first 100 CIFAR-10 fixture images ResNet-20 gets right).
# Usage: bench/gate-cifar10.sh GATE.json              the risk-coverage-harm curve: one exhaustive corner scan
#                                                     through the gate with its confidence check off
#        bench/gate-cifar10.sh GATE.json ATTACKS      ATTACKS from undefended,oblivious,guided,scan (comma-separated):
#                                                     harm at the gate's own threshold
#        bench/gate-cifar10.sh --transfer             how often ResNet-20's one-pixel adversarials fool ResNet-32
#        bench/gate-cifar10.sh --speed GATE.json [N]  the gate's evaluation before and after sharing its work, in one
#                                                     run: the corner scan through it on the first N images (4)
# Write GATE.json with 'pixelguard gate fit' first (docs/benchmarks.md). Tens of minutes per attack on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
cp="bench/target/pixelguard-bench.jar:bench/target/lib/*"
if [[ "${1:-}" == "--transfer" ]]; then
  exec java -Xmx4g -cp "$cp" dev.pixelguard.bench.TransferBenchmark "$root/../shared"
elif [[ "${1:-}" == "--speed" ]]; then
  exec java -Xmx4g -cp "$cp" dev.pixelguard.bench.GateSpeedBenchmark "$root/../shared" "${2:?give a gate file}" "${3:-4}"
elif [[ $# -ge 2 ]]; then
  exec java -Xmx4g -cp "$cp" dev.pixelguard.bench.GateBenchmark "$root/../shared" "$1" "$2"
else
  exec java -Xmx4g -cp "$cp" dev.pixelguard.bench.GateCurveBenchmark "$root/../shared" "${1:?give a gate file}"
fi
