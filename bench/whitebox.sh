#!/usr/bin/env bash
# Issue 4's figures: white-box attacks and adversarial training.
#   resnet   PGD (L-inf 8/255, 10 steps) on the first 200 CIFAR-10 fixture images, ResNet-20 TorchScript
#   fashion  PGD-20 (L-inf 0.1, step 0.01) on the whole Fashion-MNIST test set (10,000 images), standard and
#            PGD-trained bundled networks
#   compare  both threat models side by side on the 500 bundled test images (pixelguard compare)
#   train    the bundled networks' training records (time, epochs, settings) from their provenance
# Usage: bench/whitebox.sh [resnet|fashion|compare|train|all]   (all: about 25 minutes on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="$root/../shared"
fashion=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
mkdir -p bench/results
what="${1:-all}"
pg() { ./pixelguard "$@"; }
timed() { local t0; t0=$(date +%s.%N); "$@"; echo "wall: $(echo "$(date +%s.%N) - $t0" | bc) s"; }
if [[ $what == resnet || $what == all ]]; then
  echo "== ResNet-20 (TorchScript), PGD L-inf 8/255, 10 steps, first 200 CIFAR-10 fixture images"
  timed pg evaluate --method pgd --eps 0.0313725490 --steps 10 -m "$shared/models/cifar10-resnet20.pt" \
    -d "$shared/data/cifar10/test_batch_subset.bin" -n 200 --batch 200 --quiet \
    --results bench/results/pgd-resnet20-200.json
fi
if [[ $what == fashion || $what == all ]]; then
  for m in builtin:fashion-cnn builtin:fashion-cnn-pgd; do
    echo "== $m, PGD-20 L-inf 0.1 step 0.01, Fashion-MNIST test set"
    timed pg evaluate --method pgd --eps 0.1 --steps 20 --step 0.01 -m "$m" -d "$fashion" --batch 500 --quiet \
      --results "bench/results/pgd-${m#builtin:}-t10k.json"
  done
fi
if [[ $what == compare || $what == all ]]; then
  echo "== both threat models, 500 bundled test images"
  timed pg compare --quiet --results bench/results/compare-fashion-500.json
fi
if [[ $what == train || $what == all ]]; then
  echo "== training records (provenance of the bundled models)"
  for m in fashion-cnn fashion-cnn-pgd; do
    # A .pgm file starts with "PGMODEL1", a 4-byte big-endian length and the JSON metadata.
    python3 -c 'import json,struct,sys; b=open(sys.argv[1],"rb").read(); n=struct.unpack(">i",b[8:12])[0]; p=json.loads(b[12:12+n])["provenance"]; print(sys.argv[1].split("/")[-1], json.dumps(p, indent=1))' \
      "djl/src/main/resources/dev/pixelguard/djl/defaults/$m.pgm"
  done
fi
