#!/usr/bin/env bash
# The cluster path of docs/scale.md on one machine: Spark's own spark-submit (org.apache.spark.deploy.SparkSubmit,
# which the build brings; bin/spark-submit is a script around it) with Spark's jars as a distribution has them,
# pixelguard's jars shipped to the executors with --jars, and two executor JVMs (local-cluster[2,1,1024]).
# Usage: bench/spark-submit-check.sh [N]     the first N (6) fixture images, budget 800; prints the run's summary
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests package -pl cli,spark -am
t="$root/spark/target"; c="$root/cli/target"; shared="$root/../shared"
export SPARK_HOME="$t/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$SPARK_HOME/jars"
# a distribution's jars/: Spark's dependencies, including the few that pixelguard's build also resolves
dist=$(cd "$c/lib" && ls slf4j-api-*.jar jackson-*.jar commons-codec-*.jar commons-compress-*.jar jakarta.*.jar \
  2>/dev/null | sed "s#^#$c/lib/#" | paste -sd: -)
opens=$(sed -n '/^opens=(/,/)$/p' pixelguard-spark | tr -d '()' | sed 's/opens=//')
out=$(mktemp -d)
# shellcheck disable=SC2086
java -Xmx2g $opens -cp "$t/spark-lib/*:$dist" org.apache.spark.deploy.SparkSubmit \
  --master 'local-cluster[2,1,1024]' --class dev.pixelguard.cli.SparkMain \
  --jars "$(ls "$c"/lib/*.jar "$t"/pixelguard-spark.jar | paste -sd, -)" "$c/pixelguard.jar" \
  --model "$shared/models/cifar10-resnet20.onnx" --dataset "$shared/data/cifar10/test_batch_subset.bin" \
  --limit "${1:-6}" --budget 800 --results "$out/r.json" 2>&1 | grep -v '^SLF4J'
rm -rf "$out"
