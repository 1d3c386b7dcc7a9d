#!/usr/bin/env bash
# Builds the JDK 25 AOT cache for the berth CLI (cli/target/berth-cli.aot) from one training run
# (dev.berth.cli.AotTraining: the common commands against a throwaway daemon with its own roots,
# started here and stopped by its pid). The class path is built exactly as bin/berth builds it,
# since the JVM only uses a cache made with the same one. No cache: the CLI just starts slower.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/java.sh"
# Its bin/berth calls take the JVM path: no CLI server (docs/cli.md, Start-up) left running.
export BERTH_CLI_SERVER=0
lib="$BERTH_HOME/cli/target"
jar="$lib/berth-cli.jar"
rm -f "$lib/berth-cli.aot"
[ -f "$jar" ] || exit 0
cp="$jar"
for j in "$lib"/lib/*.jar; do cp+=":$j"; done
# The CLI's own runtime (bin/lib/cli-jre.sh) when there is one, else the JDK the launcher found;
# recorded for bin/berth's fast start (no search, no processes), which also uses the cache only
# with this JVM: a cache is refused by any other.
[ -x "$lib/jre/bin/java" ] && JAVA="$lib/jre/bin/java"
echo "$JAVA" >"$lib/java-path"
work=$(mktemp -d)
daemon_pid=
cleanup() {
    if [ -n "$daemon_pid" ]; then
        "$BERTH_HOME/bin/berth" -H "unix://$sock" rm -f aot-listed >/dev/null 2>&1
        kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
    fi
    grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    scratch_daemon_cleanup "$work"
    rm -rf "$work"
}
trap cleanup EXIT
sock="$work/berth.sock"
source "$BERTH_HOME/bin/lib/scratch-daemon.sh"
if [ -f "$(ls "$BERTH_HOME"/api/target/berth-api-*.jar 2>/dev/null | head -1)" ]; then
    scratch_daemon_config "$work"
    "$BERTH_HOME/bin/berth" daemon --data-root "$work/data" --exec-root "$work/exec" -H "unix://$sock" \
        --config-file "$work/daemon.json" >"$work/daemon.log" 2>&1 &
    daemon_pid=$!
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
    # As root with the static busybox: an image and a created container, so the training lists a
    # row and runs a real `run --rm` (create, attach, wait, start, output, remove).
    if [ "$(id -u)" = 0 ] && [ -x /bin/busybox ] && [ -S "$sock" ]; then
        source "$BERTH_HOME/bin/lib/busybox-archive.sh"
        make_busybox_archive "$work/busybox.tar" "$work/image" \
            && "$BERTH_HOME/bin/berth" -H "unix://$sock" load -q -i "$work/busybox.tar" >/dev/null \
            && "$BERTH_HOME/bin/berth" -H "unix://$sock" create --name aot-listed busybox true >/dev/null \
            && export BERTH_AOT_TRAIN_RUN=1
    fi
fi
if ! BERTH_HOST="unix://$sock" "$JAVA" -XX:AOTCacheOutput="$lib/berth-cli.aot" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -XX:-UsePerfData -cp "$cp" dev.berth.cli.AotTraining >"$work/log" 2>&1; then
    echo "note: no AOT cache for the berth CLI: $(tail -1 "$work/log")" >&2
    rm -f "$lib/berth-cli.aot"
fi
