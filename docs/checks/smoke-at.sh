# Sourced by the checks beside it. smoke_at REPO COMMIT SRC OUT LOG: check COMMIT out as a worktree in SRC,
# build it (Maven offline: the dependencies must be in the local cache, as setup.sh leaves them) and run
# `reproduce --profile smoke --no-notebooks --out OUT` with it; logs are LOG-build.log and LOG-run.log. Paths must
# be absolute (absolute_dir below). The caller removes the worktree.
smoke_at() {
  local repo=$1 commit=$2 src=$3 out=$4 log=$5
  git -C "$repo" worktree add -f "$src" "$commit" >"$log-build.log" 2>&1 \
    || { echo "smoke_at: no worktree of $commit at $src; see $log-build.log" >&2; return 1; }
  (cd "$src" && mvn -o -q package -DskipTests >>"$log-build.log" 2>&1) \
    || { echo "smoke_at: $commit does not build; see $log-build.log" >&2; return 1; }
  (cd "$src" && OMP_WAIT_POLICY=PASSIVE java -Xmx4g -Dai.djl.pytorch.num_threads=2 -jar target/karel-lab.jar \
      reproduce --profile smoke --no-notebooks --out "$out" >"$log-run.log" 2>&1) \
    || { echo "smoke_at: the smoke run of $commit failed; see $log-run.log" >&2; return 1; }
}

# absolute DIR (made if missing)
absolute_dir() { mkdir -p "$1" && (cd "$1" && pwd); }
