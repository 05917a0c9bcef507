#!/usr/bin/env bash
# End-to-end check of the installed Jupyter kernel "java" (see setup.sh): writes a small notebook, runs it
# with `jupyter nbconvert --execute`, and checks the outputs: a value, an error that leaves the kernel
# alive, a compile error, an interrupted endless loop, stdout, display(), a chart as PNG, a table and a
# record as HTML, and the %jars magic.
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
]
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "java", "display_name": "Java (Karel Lab)", "language": "java"}})
nbformat.write(nb, os.path.join(os.environ["WORK"], "kernel-smoke.ipynb"))
EOF

# the per-cell timeout is what interrupts the endless loop (interrupt_on_timeout sends an interrupt request)
/usr/bin/jupyter nbconvert --to notebook --execute \
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

print(f"{passed} passed, {failed} failed")
raise SystemExit(1 if failed else 0)
EOF
