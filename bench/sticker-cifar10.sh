#!/usr/bin/env bash
# Issue 14's universal sticker: a 6x6 sticker (3.5% of a 32x32 image) learned with ResNet-20's gradients
# (TorchScript) on CIFAR-10 fixture images 466-931 under random viewing conditions (EOT), evaluated on images
# 0-465 under conditions drawn independently of training, through ResNet-20 on ONNX Runtime.
# Usage: bench/sticker-cifar10.sh [TARGET [STEPS [SEED]]]   the CIFAR-10 figure (default: cat, 400 steps, seed 1;
#                                                            SIZE=8 for an 8x8 sticker), evaluated with seeds 1-3;
#                                                            'dog 400 4' gives the best 6x6 figure anywhere on the
#                                                            image (second round). Training passes JPEG's gradient
#                                                            through its chroma subsampling (--jpeg-gradient
#                                                            chroma, the default); JPEG_GRADIENT=identity for the
#                                                            first round's straight-through figures
#                                                            MASK=FILE.png restricts where the sticker may lie
#                                                            (bench/masks/centre-16x16-of-32x32.png: on the object,
#                                                            the middle of the frame); RESTARTS=N learns N stickers
#                                                            from seeds SEED.. and keeps the best on the training
#                                                            views ('MASK=bench/masks/centre-16x16-of-32x32.png
#                                                            RESTARTS=6 bench/sticker-cifar10.sh dog 400 1': the
#                                                            on-object figure of docs/benchmarks.md)
#        bench/sticker-cifar10.sh --fashion [TARGET]         the same recipe on Fashion-MNIST (6x6 = 4.6% of
#                                                            28x28), builtin:fashion-cnn against builtin:fashion-cnn-pgd
#        [MASK=FILE.png] bench/sticker-cifar10.sh --gate GATE.json [STICKER.png]
#                                                            the gate (e.g. pair-impulse.json, docs/benchmarks.md):
#                                                            the ResNet-20 sticker through it and on ResNet-32
#                                                            (transfer; with MASK, kept inside it), and an
#                                                            untargeted sticker searched for against the gate itself
#                                                            with queries (the harm goal, adaptive); with
#                                                            PT_GATE=GATE-of-.pt-models.json also a white-box sticker
#                                                            through the gate's own gradients
# Outputs go to $OUT (default /tmp/pixelguard-sticker). PyTorch runs with one thread (OMP_NUM_THREADS=1): on
# 2 shared cores its thread pool otherwise spins and training takes four times as long.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
out="${OUT:-/tmp/pixelguard-sticker}"
mkdir -p "$out"
pg() { nice -n 10 ./pixelguard "$@" 2>&1 | grep -v NNPACK; }
where=()   # --mask MASK when MASK is set: train and evaluate with the sticker kept inside it
if [[ -n "${MASK:-}" ]]; then
  where=(--mask "$MASK")
fi
D=../shared/data/cifar10/test_batch_subset.bin
R20=../shared/models/cifar10-resnet20
if [[ "${1:-}" == "--fashion" ]]; then
  F=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
  target="${2:-Shirt}"
  for m in fashion-cnn fashion-cnn-pgd; do
    pg sticker train -m builtin:$m -d $F --fit-on 5000-9999 --report-on 0-999 --target "$target" --size 6 \
        --steps 400 --lr 0.05 --seed 1 --out "$out/$m.png"
    pg sticker evaluate -m builtin:$m -d $F --sticker "$out/$m.png" --seed 1
    pg sticker train -m builtin:$m -d $F --fit-on 5000-9999 --report-on 0-999 --untargeted --size 6 \
        --steps 400 --lr 0.05 --seed 1 --out "$out/$m-untargeted.png"
    pg sticker evaluate -m builtin:$m -d $F --sticker "$out/$m-untargeted.png" --seed 1
  done
  # each network's sticker on the other network (transfer)
  pg sticker evaluate -m builtin:fashion-cnn-pgd -d $F --sticker "$out/fashion-cnn.png" --seed 1
  pg sticker evaluate -m builtin:fashion-cnn -d $F --sticker "$out/fashion-cnn-pgd.png" --seed 1
elif [[ "${1:-}" == "--gate" ]]; then
  gate="${2:?give a gate file}"
  sticker="${3:-$out/cifar10-cat-6.png}"
  pg sticker evaluate --gate "$gate" -d $D --sticker "$sticker" ${where[@]+"${where[@]}"} --seed 1
  pg sticker evaluate --gate "$gate" -d $D --sticker "$sticker" ${where[@]+"${where[@]}"} --seed 1 --untargeted
  pg sticker evaluate -m ../shared/models/cifar10-resnet32.onnx -d $D --sticker "$sticker" ${where[@]+"${where[@]}"} \
      --seed 1   # transfer to the independently trained ResNet-32
  pg sticker train --gate "$gate" -d $D --fit-on 466-931 --report-on 0-465 --untargeted --size 6 --method search \
      --steps "${STEPS:-300}" --batch 32 --eot-samples 1 --seed 1 --out "$out/gate-harm.png"
  pg sticker evaluate --gate "$gate" -d $D --sticker "$out/gate-harm.png" --seed 1
  pg sticker evaluate -m $R20.onnx -d $D --sticker "$out/gate-harm.png" --seed 1
  if [[ -n "${PT_GATE:-}" ]]; then   # the same gate fitted on the .pt models: white-box through the gate
    pg sticker train --gate "$PT_GATE" -d $D --fit-on 466-931 --report-on 0-465 --untargeted --size 6 \
        --steps 100 --lr 0.05 --seed 1 --out "$out/gate-whitebox.png"
    pg sticker evaluate --gate "$gate" -d $D --sticker "$out/gate-whitebox.png" --seed 1
    pg sticker evaluate -m $R20.onnx -d $D --sticker "$out/gate-whitebox.png" --seed 1
  fi
else
  target="${1:-cat}"
  steps="${2:-400}"
  seed="${3:-1}"
  size="${SIZE:-6}"
  name="cifar10-$target-$size"
  if [[ -n "${MASK:-}" ]]; then
    name="$name-$(basename "$MASK" .png)"
  fi
  if [[ "${RESTARTS:-1}" != 1 ]]; then
    name="$name-r$RESTARTS"
  fi
  pg sticker train -m $R20.pt -d $D --fit-on 466-931 --report-on 0-465 --target "$target" --size "$size" \
      --steps "$steps" --batch 32 --eot-samples 1 --lr 0.05 --jpeg-gradient "${JPEG_GRADIENT:-chroma}" \
      --restarts "${RESTARTS:-1}" ${where[@]+"${where[@]}"} --seed "$seed" --out "$out/$name.png"
  for s in 1 2 3; do
    pg sticker evaluate -m $R20.onnx -d $D --sticker "$out/$name.png" ${where[@]+"${where[@]}"} --seed $s \
        --examples "$out/$name-examples-$s.png"
  done
fi
