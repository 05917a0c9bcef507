#!/bin/sh
# Launcher of Karel Lab's Jupyter kernel "java", installed by environment/setup.sh into the kernelspec
# (kernel.json runs: sh {resource_dir}/launch.sh {connection_file}). It runs the kit's jar of:
#   1. $KAREL_LAB_HOME, when set (a clone's root folder);
#   2. else the clone that holds the kernel's working directory: Jupyter starts a kernel in its notebook's
#      folder, so a notebook runs on the jar of its own clone, whichever clone installed the kernelspec;
#   3. else (a notebook outside every clone) the clone that installed the kernelspec, $KAREL_LAB_INSTALLED_FROM.
# A clone found in 1 or 2 without a built jar is an error, never a silent switch to another clone.
# `sh launch.sh --which` prints the clone it would use and why, and exits.
set -eu

is_clone() {
  [ -f "$1/pom.xml" ] && [ -f "$1/environment/setup.sh" ] && grep -q '<artifactId>karel-lab</artifactId>' "$1/pom.xml"
}

why=""
root=""
if [ -n "${KAREL_LAB_HOME:-}" ]; then
  root="$KAREL_LAB_HOME"
  why="KAREL_LAB_HOME"
else
  dir="$(pwd -P)"
  while :; do
    if is_clone "$dir"; then
      root="$dir"
      why="holds the working directory $(pwd -P)"
      break
    fi
    [ "$dir" = "/" ] && break
    dir="$(dirname "$dir")"
  done
  if [ -z "$root" ]; then
    root="${KAREL_LAB_INSTALLED_FROM:-}"
    why="installed the kernelspec; the working directory $(pwd -P) is in no clone"
  fi
fi

if [ -z "$root" ] || [ ! -f "$root/target/karel-lab.jar" ]; then
  echo "karel-lab kernel: ${root:-no clone} (${why:-none found}) has no target/karel-lab.jar: run 'bash ${root:-CLONE}/environment/setup.sh'" >&2
  exit 1
fi

if [ "${1:-}" = "--which" ]; then
  echo "$root ($why)"
  exit 0
fi

echo "karel-lab kernel: $root/target/karel-lab.jar ($why)" >&2
# libtorch's OpenMP threads spin while waiting; passive waiting keeps a shared machine usable
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec "${KAREL_LAB_JAVA:-java}" "-Xmx${KAREL_LAB_HEAP:-4g}" -Dai.djl.pytorch.num_threads=2 -Dai.djl.offline=true \
  -cp "$root/target/karel-lab.jar:$root/target/lib/*" org.karellab.notebook.JavaKernel "$@"
