#!/usr/bin/env bash
# Side-by-side training throughput: the kit's `bench` (cpu profile) against the PyTorch-in-Python peer
# (../shared/bench/peer_gpt_bench.py, same model and step), alternating rounds on this machine, one JSON/text
# log per measurement under OUT (default runs/bench-peer). Run it on a quiet machine; docs/performance.md has
# the table. Needs: apt-get install -y python3-torch libopenblas0-pthread (the peer), a built target/.
#   usage: bash environment/bench-peer.sh [ROUNDS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=${2:-runs/bench-peer}
peer=${PEER:-../shared/bench/peer_gpt_bench.py}
mkdir -p "$out"
jar=target/karel-lab.jar
kit() { # name, then bench options
    local name=$1; shift
    OMP_WAIT_POLICY=PASSIVE java -Dai.djl.pytorch.num_threads=2 -jar "$jar" bench --lm-only --lm-steps 40 "$@" \
        > "$out/$name-$r.txt" 2>&1
}
for r in $(seq 1 "$rounds"); do
    echo "round $r: $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    kit kit-active
    kit kit-dense --spec-input dense
    kit kit-bf16 --matmul-precision medium
    /usr/bin/python3 "$peer" --steps 40 --threads 2 > "$out/peer-default-$r.json" 2>&1
    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 "$peer" --steps 40 --threads 2 > "$out/peer-skylakex-$r.json" 2>&1
done
echo "logs in $out"
