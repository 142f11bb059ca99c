#!/usr/bin/env bash
# Issue 30's TorchScript measurement: ResNet-20 as TorchScript through pixelguard beside ONNX Runtime (one JVM),
# then the same .pt file in Python PyTorch (Debian's python3-torch). Pause other jobs first: the figures are rates.
# Usage: bench/torchscript-speed.sh [SECONDS=12]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl bench -am
java -Xmx4g -Dimages=2 -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.TorchScriptSpeedBenchmark "$root/../shared" "${1:-12}"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 bench/torchscript_speed.py "$root/../shared" "${1:-12}"
else
  echo "Python PyTorch is not installed (apt-get install -y python3-torch): no reference row" >&2
fi
