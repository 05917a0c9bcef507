#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) for Karel Lab: JDK 17, Maven and Jupyter from Debian packages,
# builds the kit, and installs the Jupyter kernelspec "java" that runs notebooks on the kit's own kernel.
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

# kernelspec "java": the kit's JShell kernel with the kit's jar and dependencies on its class path
spec="$(mktemp -d)"
trap 'rm -rf "$spec"' EXIT
chmod 755 "$spec" # the installed copy keeps these permissions: let every user see the kernel
cat > "$spec/kernel.json" <<EOF
{
  "argv": ["$(command -v java)", "-Xmx${KERNEL_HEAP:-4g}", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.offline=true",
           "-cp", "$root/target/karel-lab.jar:$root/target/lib/*",
           "org.karellab.notebook.JavaKernel", "{connection_file}"],
  "display_name": "Java (Karel Lab)",
  "language": "java",
  "interrupt_mode": "message"
}
EOF
installed="$(/usr/bin/jupyter kernelspec list --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"].get("java", {}).get("resource_dir", ""))')"
if [ -z "$installed" ] || ! cmp -s "$spec/kernel.json" "$installed/kernel.json"; then
  /usr/bin/jupyter kernelspec install --replace --name java "$spec" >/dev/null
fi
echo "karel-lab: environment ready (target/karel-lab.jar, Jupyter kernel 'java')"
