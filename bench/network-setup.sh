#!/usr/bin/env bash
# Network setup time per container: the network module's Networks.connect + disconnect in a warm
# JVM (as the daemon calls them) against the CNI bridge plugin's ADD + DEL (containernetworking-
# plugins, what podman 4 and nerdctl exec per container), one container at a time, each into a
# fresh `unshare -n sleep` netns (its start is not timed). See bench/network/NetworkSetup.java.
# Run as root:
#
#   bench/network-setup.sh            # N=50 WARMUP=20 by default
#
# Everything it makes (state dirs, bridges, the nft table berth_bench<pid>) is removed on exit.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

N=${N:-50}
WARMUP=${WARMUP:-20}

bench_need_root
source "$BENCH_HOME/bin/lib/java.sh"
[ -x /usr/lib/cni/bridge ] || bench_install containernetworking-plugins
if [ ! -d "$BENCH_HOME/network/target/classes" ]; then
    (cd "$BENCH_HOME" && mvn -o -q -pl network -am package -DskipTests) >&2
fi
jackson=$(sed -n 's:.*<jackson.version>\(.*\)</jackson.version>.*:\1:p' "$BENCH_HOME/pom.xml")
m2=${M2_REPO:-$HOME/.m2/repository}/com/fasterxml/jackson/core
cp="$BENCH_HOME/network/target/classes:$BENCH_HOME/sys/target/classes:$BENCH_HOME/oci/target/classes"
for a in jackson-databind jackson-core jackson-annotations; do
    cp="$cp:$m2/$a/$jackson/$a-$jackson.jar"
done

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}"/berth-bench-net.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "== $N containers each (after $WARMUP warm-up), one at a time"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$cp" "$BENCH_HOME/bench/network/NetworkSetup.java" "$N" "$WARMUP" /usr/lib/cni "$tmp"
echo
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, kernel $(uname -r); java: $("$JAVA" -version 2>&1 | head -1)"
echo "cni:     $(dpkg-query -W -f '${Package} ${Version}' containernetworking-plugins 2>/dev/null)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages, at the end)"
