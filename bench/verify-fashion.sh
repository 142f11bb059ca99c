#!/usr/bin/env bash
# The one-pixel verifier on the bundled Fashion-MNIST CNN (issue 16): every one of the 500 bundled images
# verified, then the exhaustive scan of all 256 gray values at every position (pixelguard scan --levels 256) on
# the first SCAN images, and the two compared image for image: a robust image must have no flipping value, a
# vulnerable one must (its counterexample is one of the 256). Prints the counts, the mean time per image and the
# agreement; the JSON files stay in OUT.
# Usage: bench/verify-fashion.sh [OUT=/tmp/verify-fashion] [IMAGES=500] [SCAN=500]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-/tmp/verify-fashion}"
images="${2:-500}"
scan="${3:-500}"
mkdir -p "$out"
"$root/pixelguard" --version >/dev/null
# A copy of the jars, so that a rebuild of the tree during the run cannot pull them away.
rm -rf "$out/jars" && mkdir -p "$out/jars" && cp -r "$root/cli/target/pixelguard.jar" "$root/cli/target/lib" "$out/jars/"
pg() { java -Xmx4g -Dai.djl.offline=true -jar "$out/jars/pixelguard.jar" "$@"; }
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
pg verify -n "$images" --quiet --results "$out/verify.json" --report "$out/report"
echo "verify wall: $(( $(date +%s) - start )) s"
start=$(date +%s)
pg scan --levels 256 -n "$scan" --quiet --results "$out/scan.json"
echo "scan wall: $(( $(date +%s) - start )) s"
# Image by image: verdict against the scan's outcome (an attacked image is vulnerable when the scan succeeded).
jq -n --slurpfile v "$out/verify.json" --slurpfile s "$out/scan.json" '
  ($s[0].images | map({key: (.index|tostring), value: (.attempts[0].success)}) | from_entries) as $flip
  | [ $v[0].images[] | select($flip[(.index|tostring)] != null)
      | {verdict, flips: $flip[(.index|tostring)]} ] as $pairs
  | { compared: ($pairs|length),
      robust_and_no_flip: ([$pairs[] | select(.verdict=="robust" and (.flips|not))] | length),
      vulnerable_and_flip: ([$pairs[] | select(.verdict=="vulnerable" and .flips)] | length),
      disagreements: ([$pairs[] | select((.verdict=="robust" and .flips) or (.verdict=="vulnerable" and (.flips|not)))] | length),
      unknown: ([$pairs[] | select(.verdict=="unknown")] | length) }'
jq '.summary' "$out/verify.json"
