# shellcheck shell=bash
# Sourced by the bench scripts: packages, the berth-runtime command lines, a busybox bundle,
# and cleanup of everything a bench made. Needs root (containers, cgroups).

BENCH_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

bench_need_root() {
    if [ "$(id -u)" != 0 ]; then
        echo "$(basename "$0"): must run as root (it creates containers)" >&2
        exit 1
    fi
}

# bench_ensure_packages CMD:PACKAGE... installs with apt-get the packages whose command is missing.
bench_ensure_packages() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] || bench_install "${missing[@]}"
}

bench_install() {
    echo "installing: $*" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Sets JAVA (JDK 25+), BERTH_CP, BERTH_SHIM, BERTH_AOT (the cache bin/build made, maybe empty) and
# BERTH_JAVA_FLAGS: exactly what bin/berth-runtime execs, minus its launcher script. Builds first if
# nothing is built.
bench_berth_setup() {
    source "$BENCH_HOME/bin/lib/java.sh"
    local lib="$BENCH_HOME/runtime/target"
    if ! ls "$lib"/berth-runtime-*.jar >/dev/null 2>&1 || [ ! -x "$BENCH_HOME/native/target/berth-shim" ]; then
        echo "not built: running bin/build" >&2
        "$BENCH_HOME/bin/build" >&2
    fi
    local jar
    jar=$(ls "$lib"/berth-runtime-*.jar | head -1)
    BERTH_CP="$jar:$lib/lib/*"
    BERTH_SHIM="$BENCH_HOME/native/target/berth-shim"
    BERTH_AOT=""
    [ -f "$lib/berth-runtime.aot" ] && BERTH_AOT="$lib/berth-runtime.aot"
    BERTH_JAVA_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true --enable-native-access=ALL-UNNAMED -Dberth.shim=$BERTH_SHIM"
    # The flags above are a copy of the launcher's: say so when it has changed since.
    local flag
    for flag in $(grep -o -- ' -XX:[A-Za-z0-9+=-]*\| -Djdk\.[A-Za-z0-9.=]*\| --enable-native-access=[A-Z_-]*' "$BENCH_HOME/bin/berth-runtime" | grep -v AOTCache); do
        case " $BERTH_JAVA_FLAGS " in
            *" $flag "*) ;;
            *) echo "WARNING: bin/berth-runtime passes $flag, which bench/lib/common.sh does not; update BERTH_JAVA_FLAGS" >&2 ;;
        esac
    done
}

# bench_make_bundle DIR ARG...: a bundle whose rootfs is the static busybox with its applet links,
# config.json from `berth-runtime spec`, terminal off and process.args set to ARG...
bench_make_bundle() {
    local dir=$1
    shift
    /bin/busybox --list-full >/dev/null 2>&1 || bench_install busybox-static
    mkdir -p "$dir/rootfs/bin"
    cp /bin/busybox "$dir/rootfs/bin/busybox"
    local applet
    # --list-full gives bin/ls, usr/bin/env...; busybox itself is in the list and must not be
    # replaced by a link to itself.
    for applet in $(/bin/busybox --list-full); do
        [ "$applet" = bin/busybox ] && continue
        mkdir -p "$dir/rootfs/$(dirname "$applet")"
        ln -sf /bin/busybox "$dir/rootfs/$applet"
    done
    "$BENCH_HOME/bin/berth-runtime" spec --bundle "$dir"
    local args
    args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
    jq --argjson args "$args" '.process.terminal = false | .process.args = $args' "$dir/config.json" >"$dir/config.json.new"
    mv "$dir/config.json.new" "$dir/config.json"
}

# bench_delete_leftovers KIND ROOT: force-deletes every container still in a state root of ours
# (kind: berth, runc, crun), e.g. after an interrupted run; then removes the root. Each runtime
# keeps one directory per container id in its root.
bench_delete_leftovers() {
    local kind=$1 root=$2 dir id
    [ -d "$root" ] || return 0
    for dir in "$root"/*/; do
        [ -d "$dir" ] || continue
        id=$(basename "$dir")
        case $kind in
            berth) "$JAVA" $BERTH_JAVA_FLAGS -cp "$BERTH_CP" dev.berth.runtime.cli.Main --root "$root" delete --force "$id" ;;
            runc) runc --root "$root" delete --force "$id" ;;
            crun) crun --root "$root" delete --force "$id" ;;
        esac >/dev/null 2>&1 || echo "warning: could not delete $kind container $id" >&2
        # A launch that failed half-way may leave the container's cgroup (default path /<id>)
        # with no state to find it by; rmdir removes it only if it is empty.
        local h
        for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
            [ -d "$h$id" ] && rmdir "$h$id" 2>/dev/null
        done
    done
    rm -rf "$root"
}

# Sizes and mtimes of the jars, the AOT cache and the shim: compared at the end of a bench, since
# a rebuild in the middle of one would mix two builds.
bench_build_stamp() {
    stat -c '%n %s %Y' "$BENCH_HOME"/runtime/target/*.jar "$BENCH_HOME"/runtime/target/lib/*.jar \
        "$BENCH_HOME"/runtime/target/berth-runtime.aot "$BERTH_SHIM" 2>/dev/null | md5sum
}

# Machine facts for the report.
bench_machine() {
    echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, kernel $(uname -r)"
    echo "java:    $("$JAVA" -version 2>&1 | head -1)"
    echo "runc:    $(runc --version | head -1)"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages, at the end)"
}

# hyperfine JSON -> "mean stddev median p90 min" in ms for benchmark number $2 (0-based).
bench_stats() {
    jq -r --argjson i "$2" '.results[$i] | (.times | sort) as $t
        | [.mean, .stddev, .median, $t[(($t | length) * 0.9 | ceil) - 1], .min]
        | map(. * 1000 * 100 | round / 100) | @tsv' "$1"
}
