#!/usr/bin/env bash
# The test suite: JUnit (every component), the Jupyter kernel end to end, and every notebook executed
# on the smoke profile (a cell error fails). Run environment/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
# libtorch's OpenMP threads spin while they wait: passive waiting keeps a busy machine fast
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mvn -B test
bash environment/test-kernel.sh
rm -rf runs/ci-smoke
java -Xmx6g -Dai.djl.pytorch.num_threads=2 -Dai.djl.offline=true -jar target/karel-lab.jar \
  reproduce --profile smoke --out runs/ci-smoke
ls runs/ci-smoke/figures/*.png >/dev/null
# P-probing fits the facts reference beside the layers; its random-init control does not refit them
facts() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "layer") c = i } NR > 1 && $c ~ /^facts\./' "$1" | wc -l; }
[ "$(facts runs/ci-smoke/pprobe.csv)" -gt 0 ] || { echo "environment/test.sh: no facts cells in runs/ci-smoke/pprobe.csv" >&2; exit 1; }
[ "$(facts runs/ci-smoke/pprobe-step0-forced.csv)" -eq 0 ] || { echo "environment/test.sh: the P-probing control refits the facts" >&2; exit 1; }
echo "environment/test.sh: all passed"
