#!/usr/bin/env bash
# Issue 15, memory: a 5,000-image evaluation of a 224x224 RGB model streams, with --no-images, in flat memory.
# The model is pixelguard's cnn-224 network (random weights, seed 1) exported to ONNX; the data is the CIFAR-10
# fixture relabelled with that model's answers (so every image is attacked), upscaled to 224x224 by --resize and
# cycled to IMAGES images by --repeat, each made when used. Sparse-RS (10 pixels) runs with a small budget (the point
# is memory, not strength). The JVM logs every GC (-Xlog:gc) and a full GC is forced every 10 s (jcmd GC.run),
# whose heap-after-GC is the live heap; the journal's line count says how many images were done at each GC.
# Prints the peak heap after GC, the live heap at the first and last thousand images, and the results' size per
# image. Usage: bench/memory-224.sh [IMAGES [BUDGET [HEAP [MODE]]]]   (default 5000, 50, 1g, no-images; runs under
# nice -n 10). MODE "embedded" runs without --no-images (images base64 in the JSON and kept in memory), to compare.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${1:-5000}"; budget="${2:-50}"; heap="${3:-1g}"; mode="${4:-no-images}"
flag=(--no-images); [[ "$mode" == embedded ]] && flag=()
work="${WORK:-/tmp/pixelguard-memory-224}"
cd "$root"
[[ -n "${SKIP_BUILD:-}" ]] || mvn -B -q -o -Dstyle.color=never -DskipTests package -pl bench,cli -am
mkdir -p "$work"
java -Xmx2g -Dai.djl.offline=true -cp "bench/target/pixelguard-bench.jar:bench/target/lib/*" \
  dev.pixelguard.bench.Memory224Setup "$root/../shared" "$work"
cd "$work"
rm -rf results.json results.images results.json.journal gc.log samples.txt
nice -n 10 java -Xmx"$heap" -Xlog:gc:file=gc.log:time -Dai.djl.offline=true -jar "$root/cli/target/pixelguard.jar" \
  evaluate --model cnn-224.onnx --dataset cifar10-own-labels.bin --resize --repeat "$images" --method sparse-rs --budget "$budget" \
  "${flag[@]}" --results results.json --quiet > evaluate.txt 2>&1 &
pid=$!
n=0
while kill -0 "$pid" 2>/dev/null; do
  lines=$( [[ -f results.json.journal ]] && wc -l < results.json.journal || echo 0 )
  echo "$(date +%s.%N) $lines" >> samples.txt
  n=$((n + 1))
  if (( n % 10 == 0 )); then jcmd "$pid" GC.run > /dev/null 2>&1 || true; fi
  sleep 1
done
wait "$pid" || { cat evaluate.txt; exit 1; }
cat evaluate.txt
python3 - "$images" <<'PY'
import datetime, os, re, sys
images = int(sys.argv[1])
samples = [tuple(map(float, l.split())) for l in open("samples.txt")]
def done_at(t):
    d = 0
    for ts, n in samples:
        if ts <= t: d = max(0, n - 1)  # the journal's first line is its settings
    return d
gcs = []
for l in open("gc.log"):
    m = re.match(r"\[(\S+)\].*GC\(\d+\) (Pause \w+.*?) (\d+)M->(\d+)M\((\d+)M\)", l)
    if m:
        t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        gcs.append((done_at(t), m.group(2), int(m.group(4)), int(m.group(5))))
full = [g for g in gcs if "Full" in g[1]]
print(f"GCs: {len(gcs)}, of them forced full GCs: {len(full)}")
print(f"peak heap after any GC: {max(g[2] for g in gcs)} MB (heap committed at most {max(g[3] for g in gcs)} MB)")
for lo, hi in ((0, 1000), (images - 1000, images)):
    xs = [g[2] for g in full if lo < g[0] <= hi]
    if xs: print(f"live heap (after a full GC) at images {lo}-{hi}: {min(xs)}-{max(xs)} MB over {len(xs)} GCs")
print("live heap by images done: " + ", ".join(f"{g[0]}:{g[2]}M" for g in full))
size = os.path.getsize("results.json")
files = os.listdir("results.images") if os.path.isdir("results.images") else []
side = sum(os.path.getsize(os.path.join("results.images", f)) for f in files)
print(f"results.json: {size:,} bytes, {size / images:,.0f} bytes per image; results.images/: "
      f"{len(files)} files, {side / images:,.0f} bytes per image")
PY
