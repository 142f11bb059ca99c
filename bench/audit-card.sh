#!/usr/bin/env bash
# Issue 14's example threat-model card (docs/audit/resnet20/): ResNet-20 and the gated ResNet-20 side by side.
#   1. the gate: ResNet-20 plus its view through impulse:0.3, product rule, fitted on images 466-931 for 90%
#      coverage (docs/defences.md);
#   2. the sticker: a universal 6x6 sticker trained on images 466-931 (white-box, ResNet-20's TorchScript twin),
#      given as STICKER (default docs/audit/resnet20/sticker.png, with its .json beside it);
#   3. the card: every threat model on the first 100 fixture images, each budget capped at MAX_QUERIES (default
#      1,000 queries per image), seed 1, against ResNet-20 on ONNX Runtime and against the gate.
# Usage: [MAX_QUERIES=1000] [STICKER=...] bench/audit-card.sh [OUT]     (about 20 minutes on 2 idle cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-docs/audit/resnet20}"
sticker="${STICKER:-docs/audit/resnet20/sticker.png}"
data=../shared/data/cifar10/test_batch_subset.bin
mkdir -p "$out"
./pixelguard gate fit -m ../shared/models/cifar10-resnet20.onnx --view impulse:0.3 --fusion product \
  --coverage 0.9 --dataset "$data" --fit-on 466-931 --report-on 0-465 --out "$out/gate.json" | tail -3
time ./pixelguard audit --gate "$out/gate.json" --dataset "$data" --limit 100 --max-queries "${MAX_QUERIES:-1000}" \
  --sticker "$sticker" --seed 1 --quiet --out "$out"
