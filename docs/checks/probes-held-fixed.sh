#!/usr/bin/env bash
# Issue 13's behaviour check with the probes held fixed. Issue 9 replaced the probes on purpose (h-probe), so
# results.csv before and after cannot match as a whole; this plugs the probes of 0e002e4 (main just before h-probe
# was merged: issue 9's sweep, h-cfg merged, the old Tribuo linear probe, the old MlpTrainer and the old Tribuo
# regression probe) into today's kit through ProbeRegistry.register and RegressionProbes.register, runs the smoke recipe's sweep with them, and compares with 0e002e4's own smoke
# results.csv row by row (probe and layer names mapped through the renames). Needs git, Maven with the project's
# dependencies in its local cache (it runs offline), javac and /usr/bin/python3. Usage: probes-held-fixed.sh [WORKDIR]
# (an empty or new folder). Output: probes-held-fixed-output.txt.
set -euo pipefail
W=${1:-$(mktemp -d)}
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/smoke-at.sh"
W=$(absolute_dir "$W")
BASE=0e002e4
HEAD=$(git -C "$REPO" rev-parse --short HEAD)
cleanup() { for c in $BASE $HEAD; do git -C "$REPO" worktree remove --force "$W/src-$c" 2>/dev/null || true; done; }
trap cleanup EXIT
for c in $BASE $HEAD; do
  smoke_at "$REPO" "$c" "$W/src-$c" "$W/out-$c" "$W/$c"
  mkdir -p "$W/jar-$c" && cp -r "$W/src-$c/target/karel-lab.jar" "$W/src-$c/target/lib" "$W/jar-$c/"
done
# the old MlpTrainer and MlpModel, as they were at BASE, moved to package check.old; the driver registers them
mkdir -p "$W/check/src/check/old" "$W/check/classes"
for f in MlpTrainer MlpModel; do
  git -C "$REPO" show "$BASE:src/main/java/org/karellab/probe/$f.java" \
    | sed 's/^package org.karellab.probe;/package check.old;/' >"$W/check/src/check/old/$f.java"
done
cp "$HERE/probes-held-fixed/OldProbes.java" "$W/check/src/check/"
CP="$W/jar-$HEAD/karel-lab.jar:$W/jar-$HEAD/lib/*"
javac -nowarn -d "$W/check/classes" -cp "$CP" $(find "$W/check/src" -name '*.java') 2>"$W/check/javac.log" \
  || { echo "the old probes do not compile; see $W/check/javac.log" >&2; exit 1; }
OMP_WAIT_POLICY=PASSIVE java -Xmx4g -Dai.djl.pytorch.num_threads=2 -cp "$W/check/classes:$CP" check.OldProbes \
    "$W/out-$HEAD/run" "$W/out-$HEAD/results-old-probes.csv" >"$W/check/sweep.log" 2>&1 \
  || { echo "the sweep with the old probes failed; see $W/check/sweep.log" >&2; exit 1; }
echo "== $BASE (before h-probe) against $HEAD with $BASE's probes plugged in"
/usr/bin/python3 - "$W/out-$BASE/results.csv" "$W/out-$HEAD/results-old-probes.csv" <<'PY'
import csv, sys, collections
A = list(csv.DictReader(open(sys.argv[1]))); B = list(csv.DictReader(open(sys.argv[2])))
layers = {'embed': 'blocks.0.resid_pre', 'final': 'ln_final.normalized'}
probes = {'linear': 'linear_old', 'mlp1': 'mlp1_old'}
keys = ('step', 'lm', 'task', 'probe', 'layer', 'semantics', 'offset', 'feature', 'metric', 'rows', 'seed', 'vs')
values = [k for k in A[0] if k in B[0] and k not in keys]
def key(r, rename):
    return tuple((layers.get(r[c], r[c]) if c == 'layer' else probes.get(r[c], r[c]) if c == 'probe' else r[c])
                 if rename else r[c] for c in keys)
def cause(r, kind, b=None):
    """The commit that changed a row of this kind on purpose in this way ('gone', or 'values' against row b), or None."""
    paired = r['semantics'] != 'original' or r['vs'] != '-'   # under an alternative, or the original paired with one
    if kind == 'gone' and paired and (r['task'] == 'syntax' or r['semantic'] == 'false'):
        return 'e171687 (issue 9): alternative semantics on the frame\'s semantic features only, the syntax baseline under the original only'
    # new input features change the scores, never which rows are scored or their labels
    if kind == 'values' and r['task'] == 'syntax' and all(r[c] == b[c] for c in ('n_train', 'n_test', 'n_programs', 'majority')):
        return ('be9e0f5 (issue 12): the syntax baseline gains the start facing and compass-turned dead reckoning '
                '(a5ae74f, a refactor of the same class meant to change nothing, is not told apart)')
    return None
new = {key(r, False): r for r in B}
old = {key(r, True): r for r in A}
assert len(new) == len(B) and len(old) == len(A), 'duplicate keys'
matched, same, by_probe, explained, syntax = 0, 0, {}, collections.Counter(), collections.Counter()
unexplained = []
for r in A:
    b = new.get(key(r, True))
    if b is None:
        explained['only before: ' + str(cause(r, 'gone'))] += 1
        if cause(r, 'gone') is None: unexplained.append(r)
        continue
    matched += 1
    bad = [v for v in values if r[v] != b[v]]
    same += not bad
    t = by_probe.setdefault(r['probe'] + ('/r2' if r['metric'] == 'r2' else ''), [0, 0]); t[0] += 1; t[1] += not bad
    if r['task'] == 'syntax':
        syntax[(r['feature'], 'identical' if not bad else 'differ')] += 1
    if bad:
        explained['values differ: ' + str(cause(r, 'values', b))] += 1
        if cause(r, 'values', b) is None: unexplained.append(r)
for r in B:
    if key(r, False) not in old:
        explained['only after: None'] += 1      # no change on purpose adds rows here
        unexplained.append(r)
print(f'  rows: {len(A)} before, {len(B)} after; {matched} matched by key after renaming')
print(f'  renames: probes linear -> linear_old, mlp1 -> mlp1_old (the old trainers under new names);'
      f' layers embed -> blocks.0.resid_pre, final -> ln_final.normalized')
print(f'  values compared: {", ".join(values)}')
print(f'  {same} of {matched} matched rows with every value identical')
print('  by probe (identical / matched rows): ' + ', '.join(f'{p} {t[1]}/{t[0]}' for p, t in sorted(by_probe.items())))
print('  syntax-baseline rows by feature: ' + ', '.join(f'{f} {n} {w}' for (f, w), n in sorted(syntax.items())))
print('  rows not identical, by the change that explains them (e171687 only removes rows; be9e0f5 only changes scores,\n'
      '  not the rows scored: n_train, n_test, n_programs and majority equal):')
for k, n in sorted(explained.items()):
    print(f'    {n:4d}  {k}')
print(f'  rows no change on purpose explains: {len(unexplained)}')
for r in unexplained[:10]:
    print('    ', [r[c] for c in keys])
print('  R^2 on dx at offset 0 (mean over seeds), before -> after:')
for r in A:
    if r['metric'] == 'r2' and r['feature'] == 'dx' and r['offset'] == '0' and r['seed'] == 'all':
        b = new[key(r, True)]
        print(f'    {r["lm"]:12s} {r["task"]:7s} {float(r["accuracy"]):+.3f} -> {float(b["accuracy"]):+.3f}')
print(f'  columns added: {[k for k in B[0] if k not in A[0]]}; removed: {[k for k in A[0] if k not in B[0]]}')
PY
