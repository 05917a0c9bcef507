#!/usr/bin/env bash
# A refactor that should change nothing, checked: the smoke pipeline at OLD and at NEW, and every file that holds a
# number compared byte for byte. Needs git and Maven with the project's dependencies in its local cache (it runs
# offline). Usage: refactor-identical.sh OLD [NEW] [WORKDIR]. Output of 2026-12-02: refactor-identical-output.txt.
set -euo pipefail
source "$(dirname "$0")/smoke-at.sh"
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
OLD=$(git -C "$REPO" rev-parse --short "$1")
NEW=$(git -C "$REPO" rev-parse --short "${2:-HEAD}")
W=$(absolute_dir "${3:-$(mktemp -d)}")
cleanup() { for c in $OLD $NEW; do git -C "$REPO" worktree remove --force "$W/src-$c" 2>/dev/null || true; done; }
trap cleanup EXIT
for c in $OLD $NEW; do
  smoke_at "$REPO" "$c" "$W/src-$c" "$W/out-$c" "$W/$c"
done
echo "== smoke at $OLD against $NEW"
# metrics.csv without its wall-clock column (samples_per_s): every other value must be the same
for c in $OLD $NEW; do
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "samples_per_s") skip = i }
           { out = ""; for (i = 1; i <= NF; i++) if (i != skip) out = out (out == "" ? "" : ",") $i; print out }' \
      "$W/out-$c/run/metrics.csv" >"$W/out-$c/run/metrics-untimed.csv"
done
for f in data/manifest.json run/metrics-untimed.csv run/eval.csv run/eval-full.csv results.csv results-programs.csv \
         interventions.csv pprobe.csv pprobe-step0-forced.csv; do
  if [ ! -f "$W/out-$OLD/$f" ] && [ ! -f "$W/out-$NEW/$f" ]; then
    echo "  absent     $f (neither commit writes it)"
  elif cmp -s "$W/out-$OLD/$f" "$W/out-$NEW/$f"; then
    echo "  identical  $f ($(wc -l <"$W/out-$NEW/$f") lines, sha256 $(sha256sum "$W/out-$NEW/$f" | cut -c1-12))"
  else
    echo "  DIFFERENT  $f"
  fi
done
