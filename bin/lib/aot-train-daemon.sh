#!/usr/bin/env bash
# Builds the JDK 25 AOT cache for `berth daemon` (api/target/berth-daemon.aot): one training run of
# a throwaway daemon with roots and a bridge of its own, driven through the berth CLI (load, run
# with and without a network, ps, inspect, logs, exec, stop, rm, images, volumes, networks), then
# stopped by its pid; the JVM writes the cache as it exits. The daemon starts about 40 % sooner
# with it (docs/PERFORMANCE.md). As root with the static busybox only; otherwise no cache, and
# the daemon just starts slower. The class path is the one bin/berth gives the daemon.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/java.sh"
source "$BERTH_HOME/bin/lib/scratch-daemon.sh"
source "$BERTH_HOME/bin/lib/busybox-archive.sh"
lib="$BERTH_HOME/api/target"
jar=$(ls "$lib"/berth-api-*.jar 2>/dev/null | head -1)
rm -f "$lib/berth-daemon.aot"
[ -n "$jar" ] && [ "$(id -u)" = 0 ] && [ -x /bin/busybox ] || exit 0
work=$(mktemp -d)
daemon_pid=
cleanup() {
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
    grep -o " $work[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    scratch_daemon_cleanup "$work"
    rm -rf "$work"
}
trap cleanup EXIT
scratch_daemon_config "$work"
export BERTH_HOST="unix://$work/berth.sock"
"$JAVA" -XX:AOTCacheOutput="$lib/berth-daemon.aot" -XX:+UseSerialGC -Xms16m -Xmx2g --enable-native-access=ALL-UNNAMED \
    -Dberth.shim="$BERTH_HOME/native/target/berth-shim" -cp "$jar:$lib/lib/*" dev.berth.api.Daemon \
    --data-root "$work/data" --exec-root "$work/exec" -H "$BERTH_HOST" --config-file "$work/daemon.json" >"$work/log" 2>&1 &
daemon_pid=$!
# No CLI server (docs/cli.md, Start-up) left running after the training.
export BERTH_CLI_SERVER=0
berth() { "$BERTH_HOME/bin/berth" "$@" >/dev/null 2>&1; }
for _ in $(seq 300); do berth version && break; sleep 0.05; done
make_busybox_archive "$work/busybox.tar" "$work/image"
berth load -i "$work/busybox.tar"
for _ in 1 2 3; do
    berth run --rm --network none busybox true
    berth run --rm busybox echo hello
done
berth run -d --name aot-trainee --health-cmd true --health-interval 100ms busybox sleep 100
berth ps -a; berth inspect aot-trainee; berth logs aot-trainee; berth exec aot-trainee true
berth top aot-trainee; berth stats --no-stream aot-trainee
berth stop -t 1 aot-trainee; berth rm aot-trainee
berth images; berth volume ls; berth network ls; berth system df
kill "$daemon_pid" && wait "$daemon_pid"
daemon_pid=
if ! grep -q "AOTCache creation is complete" "$work/log"; then
    echo "note: no AOT cache for berth daemon: $(tail -1 "$work/log")" >&2
    rm -f "$lib/berth-daemon.aot"
fi
