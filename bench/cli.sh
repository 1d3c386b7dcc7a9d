#!/usr/bin/env bash
# The berth CLI vs the docker CLI (issue 6), both against the same `berth daemon`, started here
# with its own data root, exec root and socket, with a busybox image loaded from an archive made
# on the spot. Run as root:
#
#   bench/cli.sh                    # RUNS=30 WARMUP=5 by default
#
# One hyperfine invocation, commands interleaved in this order:
#   berth version | docker version  (start-up plus one API round trip; target: berth under 2x docker)
#   berth ps      | docker ps       (one list and a table)
#   (both berth commands through the CLI server, started before the run in a runtime directory of
#   the bench's own and stopped by its pid at the end; docs/cli.md, Start-up)
#   berth run --rm busybox true | docker run --rm busybox true   (create, attach, wait, start, remove)
#   berth version, own JVM          (BERTH_CLI_SERVER=0, through env(1): a JVM started per command)
#   java Hello                      (the floor: a JDK 25 hello world with the CLI's JVM flags, no AOT cache)
# Printed: mean, median, min wall time and mean CPU time (user + system) in ms, and the
# berth/docker ratios.
#
# Everything lives in one `mktemp -d` under BENCH_TMP (default /tmp) and is removed on exit; the
# daemon is stopped by its pid (SIGTERM, SIGKILL after 30 s).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}

bench_need_root
source "$BENCH_HOME/bin/lib/java.sh"
bench_ensure_packages hyperfine:hyperfine jq:jq bc:bc
/bin/busybox --list-full >/dev/null 2>&1 || bench_install busybox-static
DOCKER=${DOCKER:-}
for c in /usr/local/bin/docker /usr/bin/docker; do
    [ -z "$DOCKER" ] && [ -x "$c" ] && DOCKER=$c
done
[ -n "$DOCKER" ] || { bench_install docker.io; DOCKER=/usr/bin/docker; }
BERTH="$BENCH_HOME/bin/berth"
if [ ! -f "$BENCH_HOME/cli/target/berth-cli.jar" ] || ! ls "$BENCH_HOME"/api/target/berth-api-*.jar >/dev/null 2>&1; then
    echo "not built: running bin/build" >&2
    "$BENCH_HOME/bin/build" >&2
fi
[ -f "$BENCH_HOME/cli/target/berth-cli.aot" ] || echo "WARNING: no AOT cache for the CLI (bin/build makes it): figures without it" >&2

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/berth-bench-cli.XXXXXX")
daemon_pid=
cleanup() {
    set +e # every step, whatever the one before it did (a grep that finds no mount fails under pipefail)
    for pid in "$tmp"/xdg/*/pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
    export BERTH_CLI_SERVER=0 # the commands below must not start another
    if [ -n "$daemon_pid" ]; then
        for id in $("$BERTH" -H "unix://$tmp/berth.sock" ps -aq 2>/dev/null); do
            "$BERTH" -H "unix://$tmp/berth.sock" rm -f "$id" >/dev/null 2>&1 || true
        done
        kill "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 300); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$daemon_pid" 2>/dev/null || true
    fi
    grep -o " $tmp[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    scratch_daemon_cleanup "$tmp"
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -m 700 "$tmp/xdg"
export XDG_RUNTIME_DIR="$tmp/xdg" # the CLI server's directory

# --- the image: a docker-save archive of a one-layer busybox ---------------------------------------
source "$BENCH_HOME/bin/lib/busybox-archive.sh"
make_busybox_archive "$tmp/busybox.tar" "$tmp/image"

# --- the daemon and the floor ----------------------------------------------------------------------
source "$BENCH_HOME/bin/lib/scratch-daemon.sh"
scratch_daemon_config "$tmp"
"$BERTH" daemon --data-root "$tmp/data" --exec-root "$tmp/exec" -H "unix://$tmp/berth.sock" \
    --config-file "$tmp/daemon.json" >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 300); do [ -S "$tmp/berth.sock" ] && break; sleep 0.05; done
[ -S "$tmp/berth.sock" ] || { echo "the daemon did not start: $(cat "$tmp/daemon.log")" >&2; exit 1; }
export BERTH_HOST="unix://$tmp/berth.sock" DOCKER_HOST="unix://$tmp/berth.sock" DOCKER_CONFIG="$tmp/docker-config"
"$BERTH" load -i "$tmp/busybox.tar" | grep -q "Loaded image: busybox:latest"
"$BERTH" run -d busybox sleep 1000 >/dev/null     # one running container, so ps prints a row

mkdir -p "$tmp/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$tmp/hello/Hello.java"
"$(dirname "$JAVA")/javac" -d "$tmp/hello" "$tmp/hello/Hello.java"

# --- the measurement ------------------------------------------------------------------------------
# The CLI server: started by the first eligible command, ready when its pid file is there.
"$BERTH" version >/dev/null
for _ in $(seq 200); do compgen -G "$tmp/xdg/*/pid" >/dev/null && break; sleep 0.05; done
compgen -G "$tmp/xdg/*/pid" >/dev/null || echo "WARNING: the CLI server did not start: figures without it" >&2
# Its first requests load and compile the commands' classes (hundreds of ms): not what a user who
# runs it all day waits for, and more than hyperfine's warm-up absorbs.
for _ in $(seq 20); do "$BERTH" version >/dev/null 2>&1 || echo "warm-up: berth version: exit $?" >&2; "$BERTH" ps >/dev/null 2>&1 || echo "warm-up: berth ps: exit $?" >&2; done
names=("berth version" "docker version" "berth ps" "docker ps" "berth run --rm busybox true" "docker run --rm busybox true"
    "berth version, own JVM" "java Hello (floor)")
hyperfine -N -w "$WARMUP" -r "$RUNS" --export-json "$tmp/cli.json" \
    -n "${names[0]}" "$BERTH version" -n "${names[1]}" "$DOCKER version" \
    -n "${names[2]}" "$BERTH ps" -n "${names[3]}" "$DOCKER ps" \
    -n "${names[4]}" "$BERTH run --rm busybox true" -n "${names[5]}" "$DOCKER run --rm busybox true" \
    -n "${names[6]}" "env BERTH_CLI_SERVER=0 $BERTH version" \
    -n "${names[7]}" "$JAVA -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp $tmp/hello Hello" >&2

echo
bench_machine 2>/dev/null | grep -v '^runc:' || true
echo "docker:  $("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null)"
echo
# CPU time (user + system, mean) as well as wall time: on a shared machine it moves far less.
printf '%-30s %9s %9s %9s %9s\n' "command" "mean ms" "median" "min" "cpu ms"
declare -a mean median cpu
for i in "${!names[@]}"; do
    read -r m s med p90 min < <(bench_stats "$tmp/cli.json" "$i")
    mean[i]=$m
    median[i]=$med
    cpu[i]=$(jq -r --argjson i "$i" '.results[$i] | (.user + .system) * 1000 * 10 | round / 10' "$tmp/cli.json")
    printf '%-30s %9s %9s %9s %9s\n' "${names[i]}" "$m" "$med" "$min" "${cpu[i]}"
done
echo
for pair in "0 1 version" "2 3 ps" "4 5 run --rm"; do
    read -r b d what <<<"$pair"
    printf 'berth/docker %-10s mean %5.2fx  median %5.2fx  cpu %5.2fx\n' "$what" \
        "$(echo "${mean[b]} / ${mean[d]}" | bc -l)" "$(echo "${median[b]} / ${median[d]}" | bc -l)" \
        "$(echo "${cpu[b]} / ${cpu[d]}" | bc -l)"
done
