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
echo "environment/test.sh: all passed"
