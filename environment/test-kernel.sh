#!/usr/bin/env bash
# End-to-end check of the installed Jupyter kernel "java" (see setup.sh): writes a small notebook, runs it
# with `jupyter nbconvert --execute` on this clone's jar, and checks the outputs: a value, an error that
# leaves the kernel alive, a compile error, an interrupted endless loop, stdout, display(), a chart as PNG,
# a table and a record as HTML, the %jars magic, and System.exit and Runtime.halt in a cell failing the cell while the
# kernel keeps its state. Then checks which clone the kernelspec's launcher picks from where.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

specs="$(/usr/bin/jupyter kernelspec list --json)"
if ! grep -q '"java"' <<<"$specs"; then
  echo "test-kernel: no Jupyter kernel 'java' installed: run environment/setup.sh first" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ROOT="$root" WORK="$work" /usr/bin/python3 - <<'EOF'
import os
import nbformat
from nbformat.v4 import new_notebook, new_code_cell

failing = {"tags": ["raises-exception"]}
cells = [
    new_code_cell("1+1"),
    new_code_cell('int before = 40;\nthrow new IllegalStateException("boom from a cell");', metadata=failing),
    new_code_cell("before + 2"),
    new_code_cell('int n = 1;\nString s = n;', metadata=failing),
    new_code_cell("long spins = 0;\nwhile (true) { spins++; }", metadata=failing),
    new_code_cell('System.out.println("hello from stdout");\n"still alive"'),
    new_code_cell('import org.knowm.xchart.*;\n'
                  'QuickChart.getChart("probe accuracy", "layer", "accuracy", "linear",\n'
                  '    new double[]{0, 1, 2}, new double[]{0.5, 0.7, 0.9})'),
    new_code_cell('import tech.tablesaw.api.*;\n'
                  'display(Table.create("t", IntColumn.create("n", 1, 2, 3)));'),
    new_code_cell("record Probe(String layer, double accuracy) {}\nnew Probe(\"emb\", 0.75)"),
    new_code_cell(f"%jars {os.environ['ROOT']}/target/karel-lab.jar\norg.karellab.world.Facing.class.getSimpleName()"),
    new_code_cell("int kept = before + 1;\nSystem.exit(3);", metadata=failing),
    new_code_cell("kept"),
    new_code_cell("kept = kept + 1;\nRuntime.getRuntime().halt(5);", metadata=failing),
    new_code_cell("kept"),
]
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "java", "display_name": "Java (Karel Lab)", "language": "java"}})
nbformat.write(nb, os.path.join(os.environ["WORK"], "kernel-smoke.ipynb"))
EOF

# the per-cell timeout is what interrupts the endless loop (interrupt_on_timeout sends an interrupt request);
# KAREL_LAB_HOME makes the kernel run this clone's jar (the notebook is in a temporary folder, in no clone)
KAREL_LAB_HOME="$root" /usr/bin/jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=java \
  --ExecutePreprocessor.timeout=20 \
  --ExecutePreprocessor.interrupt_on_timeout=True \
  --output executed.ipynb --output-dir "$work" "$work/kernel-smoke.ipynb"

WORK="$work" /usr/bin/python3 - <<'EOF'
import os
import re
import nbformat

nb = nbformat.read(os.path.join(os.environ["WORK"], "executed.ipynb"), as_version=4)
passed, failed = 0, 0

def outputs(i, kind):
    return [o for o in nb.cells[i].outputs if o.output_type == kind]

def text(i):
    return "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line) for o in outputs(i, "error") for line in o.traceback)

def data(i, mime):
    return [o.data[mime] for o in outputs(i, "execute_result") + outputs(i, "display_data") if mime in o.data]

def check(name, ok, got):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"FAILED - {name}: got {got!r}")

check("1+1 gives 2", data(0, "text/plain") == ["2"], data(0, "text/plain"))
check("a throwing cell shows the exception", "IllegalStateException: boom from a cell" in text(1), text(1))
check("the kernel survives the exception", data(2, "text/plain") == ["42"], nb.cells[2].outputs)
check("a compile error names its line", "line 2: incompatible types" in text(3), text(3))
check("an endless loop is interrupted", "Interrupted" in text(4), nb.cells[4].outputs)
stdout = "".join(o.text for o in outputs(5, "stream"))
check("stdout and the kernel after the interrupt", stdout == "hello from stdout\n" and data(5, "text/plain") == ["still alive"],
      nb.cells[5].outputs)
check("an XChart chart renders as image/png", any(p.startswith("iVBORw0KGgo") for p in data(6, "image/png")), nb.cells[6].outputs)
check("display() shows a Tablesaw table as text/html", any("<td>3</td>" in h for h in data(7, "text/html")), nb.cells[7].outputs)
check("a record renders as text/html", any("<th>accuracy</th><td>0.75</td>" in h for h in data(8, "text/html")), nb.cells[8].outputs)
check("%jars adds the kit jar", data(9, "text/plain") == ["Facing"], nb.cells[9].outputs)
check("System.exit in a cell fails the cell", "System.exit(3) was called in a cell" in text(10), nb.cells[10].outputs)
check("the kernel survives System.exit with its state", data(11, "text/plain") == ["41"], nb.cells[11].outputs)
check("Runtime.halt in a cell fails the cell", "Runtime.halt(5) was called in a cell" in text(12), nb.cells[12].outputs)
check("the kernel survives Runtime.halt with its state", data(13, "text/plain") == ["42"], nb.cells[13].outputs)

print(f"{passed} passed, {failed} failed")
raise SystemExit(1 if failed else 0)
EOF

# the launcher: a notebook runs on the jar of the clone that holds it, else on the fallback clone
resource_dir="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["kernelspecs"]["java"]["resource_dir"])' "$specs")"
if [ ! -f "$resource_dir/launch.sh" ]; then
  echo "FAILED - the kernelspec in $resource_dir has no launch.sh: run environment/setup.sh" >&2
  exit 1
fi
fallback="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["env"]["KAREL_LAB_INSTALLED_FROM"])' "$resource_dir/kernel.json")"
pick() { (cd "$1" && env -u KAREL_LAB_HOME KAREL_LAB_INSTALLED_FROM="$fallback" sh "$resource_dir/launch.sh" --which); }
failed=0
expect() {
  if [ "${2%% (*}" = "$3" ]; then echo "ok - $1"; else echo "FAILED - $1: got '$2'"; failed=1; fi
}
expect "a notebook of this clone runs on this clone's jar" "$(pick "$root/notebooks")" "$root"
expect "a notebook outside every clone runs on the fallback clone" "$(pick "$work")" "$fallback"
mkdir -p "$work/other/environment" "$work/other/notebooks" "$work/other/target"
cp pom.xml "$work/other/" && touch "$work/other/environment/setup.sh" "$work/other/target/karel-lab.jar"
expect "a notebook of another clone runs on that clone's jar" "$(pick "$work/other/notebooks")" "$work/other"
rm "$work/other/target/karel-lab.jar"
if (pick "$work/other/notebooks") >/dev/null 2>&1; then
  echo "FAILED - a clone without a jar must not silently use another clone's"; failed=1
else
  echo "ok - a clone without a jar is an error, not a switch to another clone"
fi
exit $failed
