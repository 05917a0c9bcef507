# Sourced by the checks beside it. smoke_at REPO COMMIT SRC OUT LOG: check COMMIT out as a worktree in SRC,
# build it (Maven, offline cache is enough) and run `reproduce --profile smoke --no-notebooks --out OUT` with it;
# the build and run logs are LOG-build.log and LOG-run.log. The caller removes the worktree.
smoke_at() {
  local repo=$1 commit=$2 src=$3 out=$4 log=$5
  git -C "$repo" worktree add -f "$src" "$commit" >/dev/null 2>&1
  (cd "$src" && mvn -o -q package -DskipTests >"$log-build.log" 2>&1)
  (cd "$src" && OMP_WAIT_POLICY=PASSIVE java -Xmx4g -Dai.djl.pytorch.num_threads=2 -jar target/karel-lab.jar \
      reproduce --profile smoke --no-notebooks --out "$out" >"$log-run.log" 2>&1)
}
