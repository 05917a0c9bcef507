#!/usr/bin/env bash
# Sets up a fresh Debian machine (as root) for Karel Lab: JDK 17 and Maven, then builds the kit.
# Idempotent: a second run only checks and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# build the kit when the jar is missing or older than the sources
if [ ! -f target/karel-lab.jar ] || [ -n "$(find pom.xml src/main -newer target/karel-lab.jar -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi
echo "karel-lab: environment ready (target/karel-lab.jar)"
