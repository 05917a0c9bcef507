#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) for Karel Lab: JDK 17, Maven and Jupyter from Debian packages,
# builds the kit, and installs the Jupyter kernelspec "java" that runs each notebook on the kit's kernel of its own clone.
# Idempotent: a second run only checks and takes seconds.
# KERNEL_HEAP (default 4g) sets the kernel's -Xmx.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

# Debian packages; apt-get update only when something has to be installed
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# fonts: charts draw their text off-screen
for p in jupyter-core jupyter-client jupyter-nbconvert python3-nbclient jupyter-notebook fontconfig fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# build the kit when the jar is missing or older than the sources
if [ ! -f target/karel-lab.jar ] || [ -n "$(find pom.xml src/main -newer target/karel-lab.jar -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi

# kernelspec "java": a launcher (environment/kernel/launch.sh) that runs the kit's JShell kernel from the jar of
# the clone holding the notebook, so two clones on one machine never repoint each other's notebooks. Only a
# notebook outside every clone uses a fallback clone: the first that installed the kernelspec, kept while its jar
# exists (a kernelspec from before the launcher counts: its class path names the clone).
installed="$(/usr/bin/jupyter kernelspec list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"].get("java", {}).get("resource_dir", ""))')"
fallback="$root"
if [ -n "$installed" ] && [ -f "$installed/kernel.json" ]; then
  previous="$(/usr/bin/python3 -c '
import json, sys
spec = json.load(open(sys.argv[1]))
home = spec.get("env", {}).get("KAREL_LAB_INSTALLED_FROM", "")
argv = spec.get("argv", [])
if not home and "-cp" in argv:
    home = argv[argv.index("-cp") + 1].split(":")[0].rsplit("/target/", 1)[0]
print(home)' "$installed/kernel.json")"
  if [ -n "$previous" ] && [ "$previous" != "$root" ] && [ -f "$previous/target/karel-lab.jar" ]; then
    fallback="$previous"
  fi
fi
spec="$(mktemp -d)"
trap 'rm -rf "$spec"' EXIT
chmod 755 "$spec" # the installed copy keeps these permissions: let every user see the kernel
cp environment/kernel/launch.sh "$spec/launch.sh"
chmod 644 "$spec/launch.sh"
cat > "$spec/kernel.json" <<KERNELSPEC
{
  "argv": ["/bin/sh", "{resource_dir}/launch.sh", "{connection_file}"],
  "env": {"KAREL_LAB_INSTALLED_FROM": "$fallback", "KAREL_LAB_JAVA": "$(command -v java)", "KAREL_LAB_HEAP": "${KERNEL_HEAP:-4g}"},
  "display_name": "Java (Karel Lab)",
  "language": "java",
  "interrupt_mode": "message"
}
KERNELSPEC
if [ -z "$installed" ]; then
  /usr/bin/jupyter kernelspec install --name java "$spec" >/dev/null
elif ! cmp -s "$spec/kernel.json" "$installed/kernel.json" || ! cmp -s "$spec/launch.sh" "$installed/launch.sh"; then
  # in place, each file by an atomic rename (the launcher first): a kernel starting meanwhile, for a notebook of
  # any clone, reads a complete old or new kernelspec, never a missing one
  for f in launch.sh kernel.json; do
    cp "$spec/$f" "$installed/.$f.new"
    mv -f "$installed/.$f.new" "$installed/$f"
  done
fi
if [ "$fallback" != "$root" ]; then
  echo "karel-lab: kernel 'java' runs a notebook on the jar of the clone that holds it; outside every clone, on $fallback's"
fi
echo "karel-lab: environment ready (target/karel-lab.jar, Jupyter kernel 'java')"
