#!/usr/bin/env bash
# Issue 15's Spark figures: the guided search (1 pixel, default budget 9,600, seed 1) on the first N (40)
# CIFAR-10 fixture images with ResNet-20 (ONNX Runtime), run three ways on this machine:
#   plain     ./pixelguard evaluate
#   local2    ./pixelguard-spark --master local[2]                  (embedded, one JVM, two task slots)
#   cluster   ./pixelguard-spark --master local-cluster[2,1,2048]   (two separate executor JVMs)
# It checks that every image's outcome is the same in all three (all fields but each attempt's time) and prints
# queries per second, with Spark local[2] against the plain run. Run it on a quiet machine (see `uptime`).
# Usage: bench/spark-cifar10.sh            N=40, one round
#        N=40 ROUNDS=2 bench/spark-cifar10.sh   plain and local[2] alternated twice (the ratio of the best of each)
#        SKIP_CLUSTER=1 bench/spark-cifar10.sh  only plain and local[2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${N:-40}"; rounds="${ROUNDS:-1}"
shared="$root/../shared"
out="$root/bench/results/spark"; mkdir -p "$out"
mvn -B -q -Dstyle.color=never -DskipTests package -pl cli,spark -am
touch cli/target/pixelguard.jar spark/target/pixelguard-spark.jar   # built just now: the launchers need not rebuild
args=(--model "$shared/models/cifar10-resnet20.onnx" --dataset "$shared/data/cifar10/test_batch_subset.bin"
  --limit "$n" --seed 1 --quiet)
qps() { jq -r '.totals.queries / (.totals.wallNanos / 1e9) | floor' "$1"; }
line() { jq -r --arg w "$2" '"\($w): \(.summary.successes) of \(.summary.attacked) flipped, \(.totals.queries) queries in \(.totals.wallNanos / 1e9 * 10 | floor / 10) s: \(.totals.queries / (.totals.wallNanos / 1e9) | floor) queries/s"' "$1"; }
outcomes() { jq -S '[.images[] | if .attempts then .attempts |= map(del(.nanos)) else . end]' "$1"; }
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); $(date -u +%F); load before: $(uptime | sed 's/.*load/load/')"
best_plain=0; best_local=0
for r in $(seq 1 "$rounds"); do
  ./pixelguard evaluate "${args[@]}" --results "$out/plain.json" >/dev/null
  line "$out/plain.json" "plain evaluate (round $r)"
  q=$(qps "$out/plain.json"); (( q > best_plain )) && best_plain=$q
  ./pixelguard-spark "${args[@]}" --master 'local[2]' --results "$out/local2.json" >/dev/null 2>"$out/local2.log"
  line "$out/local2.json" "spark local[2]  (round $r)"
  q=$(qps "$out/local2.json"); (( q > best_local )) && best_local=$q
  echo "load: $(uptime | sed 's/.*load average: //')"
done
same=yes
cmp -s <(outcomes "$out/plain.json") <(outcomes "$out/local2.json") || same=NO
echo "outcomes of local[2] equal plain, image for image: $same"
if [[ -z "${SKIP_CLUSTER:-}" ]]; then
  loud=(); for a in "${args[@]}"; do [[ $a == --quiet ]] || loud+=("$a"); done   # its log names the executors
  ./pixelguard-spark "${loud[@]}" --master 'local-cluster[2,1,2048]' --results "$out/cluster.json" \
    >/dev/null 2>"$out/cluster.log"
  line "$out/cluster.json" "spark local-cluster[2,1,2048]"
  echo "executor JVMs that ran partitions: $(grep -o 'on executor [0-9]*' "$out/cluster.log" | sort -u | tr '\n' ' ')"
  c=yes; cmp -s <(outcomes "$out/plain.json") <(outcomes "$out/cluster.json") || c=NO
  echo "outcomes of local-cluster equal plain, image for image: $c"
  [[ $c == yes ]] || same=NO
fi
awk -v a="$best_local" -v b="$best_plain" 'BEGIN { printf "throughput: spark local[2] / plain = %d / %d = %.2f\n", a, b, a / b }'
echo "load after: $(uptime | sed 's/.*load/load/')"
[[ $same == yes ]]
