#!/usr/bin/env bash
# Issue 13's literal check on the branches that carried it, each alone against their common base 59c072e
# (none of them holds issue 9's sweep): reproduce --profile smoke --no-notebooks, then results.csv compared
# row by row (layer names mapped through the renames of h-gpt). Needs git, Maven with the project's dependencies in its local cache (it runs offline)
# and /usr/bin/python3. Usage: issue13-branches.sh [WORKDIR]. Output of 2026-11-30: issue13-branches-output.txt.
set -euo pipefail
W=${1:-$(mktemp -d)}
REPO=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
source "$(dirname "$0")/smoke-at.sh"
W=$(absolute_dir "$W")
BASE=59c072e
# h-cfg (LmConfig parts, encoding registry, val loss, kernelspec, newcomer fixes), h-gpt (TransformerLens names,
# HiddenFilter, KV cache), h-perf (sparse spec projection), h-probe (one probe-network definition)
BRANCHES="ff2f2de be7a9c4 e73e55b 4b6cfbf"
cleanup() { for c in $BASE $BRANCHES; do git -C "$REPO" worktree remove --force "$W/src-$c" 2>/dev/null || true; done; }
trap cleanup EXIT
for c in $BASE $BRANCHES; do
  smoke_at "$REPO" "$c" "$W/src-$c" "$W/out-$c" "$W/$c"
done
for c in $BRANCHES; do
  echo "== $(git -C "$REPO" log -1 --format='%h %s' $c | cut -c1-100)"
  /usr/bin/python3 - "$W/out-$BASE/results.csv" "$W/out-$c/results.csv" <<'PY'
import csv, sys
A = list(csv.DictReader(open(sys.argv[1]))); B = list(csv.DictReader(open(sys.argv[2])))
if open(sys.argv[1]).read() == open(sys.argv[2]).read():
    print(f'  results.csv byte-identical ({len(A)} rows)'); sys.exit()
renamed = {'embed': 'blocks.0.resid_pre', 'final': 'ln_final.normalized'}
if not any(r['layer'] in renamed.values() for r in B):
    renamed = {}                                   # a branch without h-gpt keeps the old names
keys = ('step', 'lm', 'task', 'probe', 'layer', 'semantics', 'offset', 'feature')
values = [k for k in A[0] if k in B[0] and k not in keys]
new = {tuple(r[k] for k in keys): r for r in B}
assert len(new) == len(B), 'duplicate keys'
matched, same, by_probe = 0, 0, {}
for r in A:
    k = tuple(renamed.get(r[c], r[c]) if c == 'layer' else r[c] for c in keys)
    b = new.get(k)
    if b is None:
        continue
    matched += 1
    eq = all(r[v] == b[v] for v in values)
    same += eq
    t = by_probe.setdefault(r['probe'], [0, 0]); t[0] += 1; t[1] += eq
print(f'  rows: {len(A)} before, {len(B)} after; {matched} matched by key' + (' after renaming layers' if renamed else '') + f'; {same} with every value identical')
print('  by probe (rows, identical): ' + ', '.join(f'{p} {t[1]}/{t[0]}' for p, t in sorted(by_probe.items())))
print(f'  columns added: {[k for k in B[0] if k not in A[0]]}; removed: {[k for k in A[0] if k not in B[0]]}')
PY
done
