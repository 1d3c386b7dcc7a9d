#!/usr/bin/env bash
# berth daemon vs dockerd (issue 4): the same docker CLI against each engine, both started here
# with their own data root, exec root and socket, both with the same busybox image loaded from an
# archive made on the spot. Run as root:
#
#   bench/daemon-run.sh             # RUNS=30 WARMUP=5 N=20 ROUNDS=3 STEPS=20 by default
#
# 1. hyperfine, in one invocation: `docker run --rm --network none busybox true` against each
#    engine, and `docker version` against each (the CLI and one API round trip: the floor under
#    every docker command). Target of issue 4: berth's `run --rm` at most 0.3 of dockerd's.
#    Then `docker run --rm busybox true` on each engine's default bridge (issue 5's target, also
#    0.3): berth's own bridge (daemon.json "bridge": bbr<hex>, so its nft table berth_bbr<hex>)
#    with its address, route and masquerade; dockerd's on a bridge made here (dbr<hex>,
#    10.213.200.1/24, `-b`), with --iptables=false so that it leaves the host's iptables alone:
#    dockerd so does less per container (no NAT rule) than berth.
# 2. Per API call (curl on the socket; STEPS rounds, medians): create, start, wait, delete of a
#    `true` container, to show where the time goes inside each engine.
# 3. N containers started in parallel (`docker run -d --network none busybox sleep 1000`, N CLIs
#    at once), ROUNDS times: the wall time until all N CLIs have returned, and the memory they
#    cost: growth of the daemon's RSS (berth: its JVM; dockerd: dockerd + containerd) plus the RSS
#    of the per-container shims (berth-shim; containerd-shim-runc-v2), from /proc/<pid>/status
#    VmRSS, measured SETTLE seconds after the last start. The containers are removed after each
#    round, and the next round's baseline is taken after that.
# 4. `docker pull` of a 3-layer image of PULL_MB MB (default 150; 0 skips it) from Debian's
#    docker-registry on loopback into each engine, PULL_ROUNDS times (default 3), alternating.
#
# dockerd: DOCKERD=path if given, else the one on PATH (Debian's docker.io, as CI installs it),
# else Debian's docker.io and containerd packages are fetched with `apt-get download` and unpacked
# into DOCKERD_CACHE (default /var/tmp/berth-bench-dockerd), not installed: installing docker.io
# would also put Debian's docker CLI at /usr/bin/docker, which the daemon tests prefer, and
# register a docker service. The docker CLI is DOCKER, else /usr/local/bin/docker, else
# /usr/bin/docker (the one both engines are driven with).
#
# Everything (archives, data and exec roots, sockets, logs) lives in one `mktemp -d` under BENCH_TMP
# (default /tmp) and is removed on exit, after all containers are removed and both daemons stopped
# (SIGTERM by pid, SIGKILL after 30 s); mounts left under it are unmounted. KEEP_LOGS=dir copies the
# daemons' logs there first.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}
N=${N:-20}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-20}
SETTLE=${SETTLE:-2}
DOCKERD_CACHE=${DOCKERD_CACHE:-/var/tmp/berth-bench-dockerd}

bench_need_root
source "$BENCH_HOME/bin/lib/java.sh"     # JAVA, for the report
bench_ensure_packages hyperfine:hyperfine jq:jq curl:curl
/bin/busybox --list-full >/dev/null 2>&1 || bench_install busybox-static

# --- the programs -------------------------------------------------------------------------------
DOCKER=${DOCKER:-}
if [ -z "$DOCKER" ]; then
    for c in /usr/local/bin/docker /usr/bin/docker; do
        [ -x "$c" ] && { DOCKER=$c; break; }
    done
fi
if [ -z "$DOCKER" ]; then
    bench_install docker.io
    DOCKER=/usr/bin/docker
fi

dockerd_path=""     # PATH entries dockerd needs (containerd, containerd-shim-runc-v2), when unpacked here
DOCKERD=${DOCKERD:-$(command -v dockerd 2>/dev/null || true)}
if [ -z "$DOCKERD" ]; then
    if [ ! -x "$DOCKERD_CACHE/root/usr/sbin/dockerd" ] || [ ! -x "$DOCKERD_CACHE/root/usr/bin/containerd" ]; then
        echo "fetching docker.io and containerd (apt-get download) into $DOCKERD_CACHE" >&2
        mkdir -p "$DOCKERD_CACHE/debs"
        apt-get update -qq >&2
        (cd "$DOCKERD_CACHE/debs" && apt-get download docker.io containerd >&2)
        for deb in "$DOCKERD_CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$DOCKERD_CACHE/root"; done
    fi
    DOCKERD=$DOCKERD_CACHE/root/usr/sbin/dockerd
    dockerd_path="$DOCKERD_CACHE/root/usr/sbin:$DOCKERD_CACHE/root/usr/bin:"
fi
command -v runc >/dev/null 2>&1 || bench_install runc

if ! ls "$BENCH_HOME"/api/target/berth-api-*.jar >/dev/null 2>&1 || [ ! -x "$BENCH_HOME/native/target/berth-shim" ]; then
    echo "not built: running bin/build" >&2
    "$BENCH_HOME/bin/build" >&2
fi
daemon_stamp() {
    stat -c '%n %s %Y' "$BENCH_HOME"/api/target/*.jar "$BENCH_HOME"/api/target/lib/berth-*.jar "$BENCH_HOME/native/target/berth-shim" 2>/dev/null | md5sum
}
build_stamp=$(daemon_stamp)

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}"/berth-bench-daemon.XXXXXX)
export DOCKER_CONFIG=$tmp/docker-config    # no ~/.docker: no contexts, no credential helpers
mkdir -p "$DOCKER_CONFIG"

berth_sock=$tmp/berth/berth.sock
docker_sock=$tmp/docker/docker.sock
berth_pid="" docker_pid=""
bench_hex=$(printf '%06x' $(( $$ & 0xffffff )))
berth_bridge=bbr$bench_hex      # berth's default bridge, and so its table berth_$berth_bridge
docker_bridge=dbr$bench_hex     # dockerd's (-b), made and removed here

# --- cleanup: containers, daemons (by pid), stray shims of ours, mounts, files -------------------
# Processes whose command line names DIR: the shims of a daemon rooted there.
pids_under() {
    local dir=$1 p
    for p in /proc/[0-9]*; do
        { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$dir" && echo "${p#/proc/}"
    done
    return 0
}
stop_pid() {
    local pid=$1 i
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "warning: pid $pid still there 30 s after SIGTERM; SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}
remove_all_containers() {   # SOCK
    local ids
    ids=$("$DOCKER" -H "unix://$1" ps -aq 2>/dev/null) || return 0
    [ -z "$ids" ] || "$DOCKER" -H "unix://$1" rm -f $ids >/dev/null 2>&1 || echo "warning: docker rm -f failed on $1" >&2
}
cgroups_before=$(ls -d /sys/fs/cgroup/docker /sys/fs/cgroup/*/docker 2>/dev/null | sort || true)
containerd_s_before=$(ls /run/containerd/s 2>/dev/null | sort || true)
key_json_before=$([ -e /etc/docker/key.json ] && echo yes || true)   # dockerd 20.10 makes its trust key there
cleanup() {
    set +e
    [ -S "$berth_sock" ] && remove_all_containers "$berth_sock"
    [ -S "$docker_sock" ] && remove_all_containers "$docker_sock"
    stop_pid "$berth_pid"
    stop_pid "$docker_pid"
    [ -n "${registry_pid:-}" ] && kill "$registry_pid" 2>/dev/null
    # Both daemons keep their bridges (and berth its nft table) across restarts, as dockerd keeps
    # docker0: ours to remove. Berth's user networks' bridges are named in its state files.
    local b
    for b in "$berth_bridge" $(grep -ho '"bridge":"[^"]*"' "$tmp"/berth/data/network/networks/*.json 2>/dev/null | cut -d'"' -f4) "$docker_bridge"; do
        ip link del "$b" 2>/dev/null
    done
    nft delete table ip "berth_$berth_bridge" 2>/dev/null
    local p
    for p in $(pids_under "$tmp/"); do
        [ "$p" = $$ ] && continue
        echo "warning: process $p still running under $tmp: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null); SIGKILL" >&2
        kill -KILL "$p" 2>/dev/null
    done
    # Deepest mounts first.
    grep -F " $tmp/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: could not unmount $m" >&2
    done
    # dockerd's parent cgroup (/docker in each hierarchy) if it made it. Berth's (/berth) is left:
    # other berth daemons (tests) on this host may be using it.
    comm -13 <(echo "$cgroups_before") <(ls -d /sys/fs/cgroup/docker /sys/fs/cgroup/*/docker 2>/dev/null | sort) |
        while read -r d; do rmdir "$d" 2>/dev/null; done
    # containerd's shim sockets live in /run/containerd/s whatever its root; ours are gone with
    # the shims, but a killed shim leaves its socket.
    local s
    for s in $(comm -13 <(echo "$containerd_s_before") <(ls /run/containerd/s 2>/dev/null | sort)); do
        rm -f "/run/containerd/s/$s"
    done
    [ -n "$containerd_s_before" ] || rmdir /run/containerd/s /run/containerd 2>/dev/null
    [ -n "$key_json_before" ] || rm -f /etc/docker/key.json
    if [ -n "${KEEP_LOGS:-}" ]; then
        mkdir -p "$KEEP_LOGS" && cp "$tmp"/*.log "$KEEP_LOGS/" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# --- the image: a docker-save archive of a one-layer busybox (as api/.../BusyboxArchive.java) ----
source "$BENCH_HOME/bin/lib/busybox-archive.sh"
archive=$tmp/busybox.tar
make_busybox_archive "$archive" "$tmp/image"

# --- the daemons ---------------------------------------------------------------------------------
wait_ready() {   # NAME PID SOCK LOG
    local i
    for i in $(seq 600); do
        if ! kill -0 "$2" 2>/dev/null; then
            echo "$1 exited while starting; its log:" >&2
            tail -30 "$4" >&2
            exit 1
        fi
        [ -S "$3" ] && "$DOCKER" -H "unix://$3" version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "$1 not ready after 60 s; its log:" >&2
    tail -30 "$4" >&2
    exit 1
}

mkdir -p "$tmp/berth"
echo '{"bridge": "'"$berth_bridge"'"}' >"$tmp/berth/daemon.json"
t0=$(date +%s%N)
"$BENCH_HOME/bin/berth" daemon --data-root "$tmp/berth/data" --exec-root "$tmp/berth/exec" -H "unix://$berth_sock" \
    --config-file "$tmp/berth/daemon.json" >"$tmp/berth.log" 2>&1 &
berth_pid=$!
wait_ready "berth daemon" "$berth_pid" "$berth_sock" "$tmp/berth.log"
berth_ready_ms=$((($(date +%s%N) - t0) / 1000000))

mkdir -p "$tmp/docker"
echo '{}' >"$tmp/docker/daemon.json"
ip link add "$docker_bridge" type bridge
ip addr add 10.213.200.1/24 dev "$docker_bridge"
ip link set "$docker_bridge" up
t0=$(date +%s%N)
PATH="$dockerd_path$PATH" "$DOCKERD" --data-root "$tmp/docker/data" --exec-root "$tmp/docker/exec" \
    --pidfile "$tmp/docker/docker.pid" -H "unix://$docker_sock" --config-file "$tmp/docker/daemon.json" \
    --iptables=false --ip-masq=false --ip-forward=false --bridge="$docker_bridge" --userland-proxy=false >"$tmp/dockerd.log" 2>&1 &
docker_pid=$!
wait_ready "dockerd" "$docker_pid" "$docker_sock" "$tmp/dockerd.log"
docker_ready_ms=$((($(date +%s%N) - t0) / 1000000))

for sock in "$berth_sock" "$docker_sock"; do
    out=$("$DOCKER" -H "unix://$sock" load -i "$archive" 2>&1) || { echo "docker load into $sock failed: $out" >&2; exit 1; }
    echo "$out" | grep -q "Loaded image: busybox:latest" || { echo "docker load into $sock: $out" >&2; exit 1; }
    "$DOCKER" -H "unix://$sock" run --rm --network none busybox true || { echo "a first run on $sock failed" >&2; exit 1; }
    "$DOCKER" -H "unix://$sock" run --rm busybox true || { echo "a first run on $sock's default bridge failed" >&2; exit 1; }
done
berth_version=$("$DOCKER" -H "unix://$berth_sock" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')
docker_version=$("$DOCKER" -H "unix://$docker_sock" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')
containerd_version=$(PATH="$dockerd_path$PATH" containerd --version 2>/dev/null | awk '{print $3}')
cli_version=$("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null || true)

# --- 1. docker run --rm, timed by hyperfine --------------------------------------------------------
run_cmd() { echo "$DOCKER -H unix://$1 run --rm --network none busybox true"; }
version_cmd() { echo "$DOCKER -H unix://$1 version --format '{{.Server.Version}}'"; }
bridge_cmd() { echo "$DOCKER -H unix://$1 run --rm busybox true"; }
echo "== hyperfine: warmup $WARMUP, $RUNS runs each ==" >&2
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$tmp/run.json" \
    --command-name "berth:   docker run --rm" "$(run_cmd "$berth_sock")" \
    --command-name "dockerd: docker run --rm" "$(run_cmd "$docker_sock")" \
    --command-name "berth:   docker version" "$(version_cmd "$berth_sock")" \
    --command-name "dockerd: docker version" "$(version_cmd "$docker_sock")" \
    --command-name "berth:   docker run --rm (bridge)" "$(bridge_cmd "$berth_sock")" \
    --command-name "dockerd: docker run --rm (bridge)" "$(bridge_cmd "$docker_sock")" >&2

# --- 2. the API calls of one run, one by one --------------------------------------------------------
# curl's time_total: from the start of the connection to the end of the response (no process start).
api() {   # SOCK METHOD PATH [BODY] -> prints "<seconds> <body>"
    local args=(-s --unix-socket "$1" -X "$2" -o "$tmp/api.out" -w '%{time_total}' "http://localhost/v1.41$3")
    [ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' -d "$4")
    local t
    t=$(curl "${args[@]}")
    echo "$t $(cat "$tmp/api.out")"
}
steps() {   # NAME SOCK
    local i t body id
    : >"$tmp/steps.$1"
    for i in $(seq $((STEPS + 3))); do
        read -r t body < <(api "$2" POST /containers/create '{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none"}}')
        id=$(echo "$body" | jq -r .Id)
        [ -n "$id" ] && [ "$id" != null ] || { echo "$1: create failed: $body" >&2; return 1; }
        local tc=$t
        read -r t body < <(api "$2" POST "/containers/$id/start")
        local ts=$t
        read -r t body < <(api "$2" POST "/containers/$id/wait")
        local tw=$t
        echo "$body" | jq -e '.StatusCode == 0' >/dev/null || echo "$1: wait said $body" >&2
        read -r t body < <(api "$2" DELETE "/containers/$id")
        local td=$t
        # The first 3 are warm-up.
        [ "$i" -gt 3 ] && echo "$tc $ts $tw $td" >>"$tmp/steps.$1"
    done
}
median_col() {   # FILE COLUMN -> median in ms
    awk -v c="$2" '{print $c * 1000}' "$1" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
if [ "$STEPS" -gt 0 ]; then
    steps berth "$berth_sock"
    steps dockerd "$docker_sock"
fi

# --- 3. N containers in parallel: time and memory --------------------------------------------------
rss_kb() {   # PID... -> sum of VmRSS in kB
    local sum=0 p v
    for p in "$@"; do
        v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
        sum=$((sum + ${v:-0}))
    done
    echo "$sum"
}
exe_is() {   # PID NAME: whether /proc/PID/exe is a program called NAME
    [ "$(basename "$(readlink "/proc/$1/exe" 2>/dev/null)")" = "$2" ]
}
berth_daemon_pids() { echo "$berth_pid"; }
berth_shim_pids() {
    local p
    for p in $(pids_under "$tmp/berth/exec/"); do exe_is "$p" berth-shim && echo "$p"; done
    return 0
}
docker_daemon_pids() {
    echo "$docker_pid"
    local p
    for p in $(pids_under "$tmp/docker/"); do exe_is "$p" containerd && echo "$p"; done
    return 0
}
docker_shim_pids() {
    local p
    for p in $(pids_under "$tmp/docker/exec/"); do exe_is "$p" containerd-shim-runc-v2 && echo "$p"; done
    return 0
}
parallel_round() {   # NAME SOCK ROUND
    local name=$1 sock=$2 round=$3 i pids=() failed=0
    local base
    base=$(rss_kb $(${name}_daemon_pids))
    local t0 t1
    t0=$(date +%s%N)
    for i in $(seq "$N"); do
        "$DOCKER" -H "unix://$sock" run -d --network none busybox sleep 1000 >"$tmp/par.$name.$i.out" 2>"$tmp/par.$name.$i.err" &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { failed=$((failed + 1)); echo "$name: docker run -d #$((i + 1)) failed: $(cat "$tmp/par.$name.$((i + 1)).err")" >&2; }
    done
    t1=$(date +%s%N)
    sleep "$SETTLE"
    local running daemon shims nshims
    running=$("$DOCKER" -H "unix://$sock" ps -q | wc -l)
    daemon=$(rss_kb $(${name}_daemon_pids))
    shims=$(${name}_shim_pids | tr '\n' ' ')
    nshims=$(echo $shims | wc -w)
    # round, ms, running, failed, daemon RSS before, after, shims, shim RSS sum (kB)
    echo "$round $(((t1 - t0) / 1000000)) $running $failed $base $daemon $nshims $(rss_kb $shims)" >>"$tmp/par.$name"
    remove_all_containers "$sock"
    sleep 1
}
for r in $(seq "$ROUNDS"); do
    parallel_round berth "$berth_sock" "$r"
    parallel_round docker "$docker_sock" "$r"
done

# --- summary ---------------------------------------------------------------------------------------
echo
# --- 4. docker pull of a multi-layer image (issue 3: "vs docker pull where a dockerd runs") -------
# Debian's docker-registry on a free loopback port holds a 3-layer image of PULL_MB MB of random
# bytes (made on berth with run + commit, pushed from berth). Each round, on each engine in turn:
# the image removed, then `docker pull` timed (download, verify, unpack: what a user waits for).
PULL_MB=${PULL_MB:-150}
PULL_ROUNDS=${PULL_ROUNDS:-3}
if [ "$PULL_MB" -gt 0 ]; then
    bench_ensure_packages docker-registry:docker-registry
    reg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    mkdir -p "$tmp/registry"
    printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$tmp/registry/data" "$reg_port" >"$tmp/registry/config.yml"
    /usr/bin/docker-registry serve "$tmp/registry/config.yml" >"$tmp/registry.log" 2>&1 &
    registry_pid=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$reg_port/v2/" >/dev/null && break; sleep 0.1; done
    big=127.0.0.1:$reg_port/bench/big:v1
    layer_mb=$((PULL_MB / 3))
    from=busybox
    for i in 1 2 3; do
        "$DOCKER" -H "unix://$berth_sock" run --name "pull-layer-$i" --network none "$from" \
            sh -c "head -c $((layer_mb * 1048576)) /dev/urandom > /layer$i" >/dev/null
        from=bench-layer-$i
        "$DOCKER" -H "unix://$berth_sock" commit "pull-layer-$i" "$from" >/dev/null
        "$DOCKER" -H "unix://$berth_sock" rm "pull-layer-$i" >/dev/null
    done
    "$DOCKER" -H "unix://$berth_sock" tag "$from" "$big"
    "$DOCKER" -H "unix://$berth_sock" push "$big" >/dev/null
    for i in 1 2 3; do "$DOCKER" -H "unix://$berth_sock" rmi "bench-layer-$i" >/dev/null 2>&1 || true; done
    "$DOCKER" -H "unix://$berth_sock" rmi "$big" >/dev/null 2>&1 || true
    : >"$tmp/pull.berth"; : >"$tmp/pull.docker"
    for r in $(seq "$PULL_ROUNDS"); do
        for name in berth docker; do
            sock=$berth_sock; [ "$name" = docker ] && sock=$docker_sock
            "$DOCKER" -H "unix://$sock" rmi "$big" >/dev/null 2>&1 || true
            sync
            t0=$(date +%s%N)
            "$DOCKER" -H "unix://$sock" pull -q "$big" >/dev/null
            echo $((($(date +%s%N) - t0) / 1000000)) >>"$tmp/pull.$name"
        done
    done
    kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true
fi

echo "== berth daemon vs dockerd: docker run --rm --network none busybox true =="
bench_machine
echo "docker:  CLI $cli_version ($DOCKER); dockerd $docker_version ($DOCKERD), containerd $containerd_version"
echo "berth:   $berth_version, $(readlink -f "$BENCH_HOME")"
echo "ready:   berth daemon ${berth_ready_ms} ms, dockerd ${docker_ready_ms} ms (start until \`docker version\` answers)"
echo
printf '%-36s %9s %8s %9s %9s %9s\n' "command" "mean ms" "± σ" "median" "p90" "min"
names=("berth:   docker run --rm" "dockerd: docker run --rm" "berth:   docker version" "dockerd: docker version"
       "berth:   docker run --rm (bridge)" "dockerd: docker run --rm (bridge)")
for i in 0 1 2 3 4 5; do
    read -r mean sd med p90 min < <(bench_stats "$tmp/run.json" "$i")
    printf '%-36s %9s %8s %9s %9s %9s\n' "${names[$i]}" "$mean" "$sd" "$med" "$p90" "$min"
done
mean_of() { bench_stats "$tmp/run.json" "$1" | cut -f1; }
med_of() { bench_stats "$tmp/run.json" "$1" | cut -f3; }
awk -v b="$(mean_of 0)" -v d="$(mean_of 1)" -v bm="$(med_of 0)" -v dm="$(med_of 1)" \
    -v bv="$(mean_of 2)" -v dv="$(mean_of 3)" 'BEGIN {
    printf "ratio berth/dockerd, docker run --rm: %.2f (mean), %.2f (median); target <= 0.3: %s\n", b / d, bm / dm, b / d <= 0.3 ? "met" : "NOT met"
    printf "net of `docker version` (CLI start + one round trip): berth %.1f ms, dockerd %.1f ms, ratio %.2f\n", b - bv, d - dv, (b - bv) / (d - dv)
}'
awk -v b="$(mean_of 4)" -v d="$(mean_of 5)" -v bm="$(med_of 4)" -v dm="$(med_of 5)" -v bn="$(mean_of 0)" -v dn="$(mean_of 1)" 'BEGIN {
    printf "ratio berth/dockerd, docker run --rm on the default bridge: %.2f (mean), %.2f (median); target <= 0.3: %s\n", b / d, bm / dm, b / d <= 0.3 ? "met" : "NOT met"
    printf "the bridge'"'"'s cost over --network none (mean): berth %.1f ms, dockerd %.1f ms\n", b - bn, d - dn
}'

if [ "$STEPS" -gt 0 ]; then
    echo
    echo "API calls of one run (curl on the socket, median of $STEPS, ms):"
    printf '  %-28s %8s %8s\n' "call" "berth" "dockerd"
    col=1
    for call in "POST /containers/create" "POST /containers/{id}/start" "POST /containers/{id}/wait" "DELETE /containers/{id}"; do
        printf '  %-28s %8s %8s\n' "$call" "$(median_col "$tmp/steps.berth" $col)" "$(median_col "$tmp/steps.dockerd" $col)"
        col=$((col + 1))
    done
    sum_med() { awk '{print ($1 + $2 + $3 + $4) * 1000}' "$1" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
    printf '  %-28s %8s %8s\n' "sum (median of sums)" "$(sum_med "$tmp/steps.berth")" "$(sum_med "$tmp/steps.dockerd")"
fi

echo
echo "$N containers started in parallel (docker run -d --network none busybox sleep 1000), $ROUNDS rounds:"
echo "  memory: daemon = berth's JVM | dockerd + containerd; shims = berth-shim | containerd-shim-runc-v2; RSS in MiB, $SETTLE s after the last start;"
echo "  all RSS = daemon after + shims (the containers' own processes are not counted on either side)"
printf '  %-8s %5s %9s %7s %6s %13s %12s %7s %6s %10s %13s %11s\n' engine round "wall ms" running failed "daemon before" "daemon after" growth shims "shims RSS" "growth+shims" "all RSS"
for name in berth docker; do
    while read -r round ms running failed base after nshims shimrss; do
        awk -v n="$name" -v r="$round" -v ms="$ms" -v run="$running" -v f="$failed" -v b="$base" -v a="$after" -v ns="$nshims" -v s="$shimrss" 'BEGIN {
            printf "  %-8s %5d %9d %7d %6d %13.1f %12.1f %7.1f %6d %10.1f %13.1f %11.1f\n", n == "docker" ? "dockerd" : n, r, ms, run, f, b / 1024, a / 1024, (a - b) / 1024, ns, s / 1024, (a - b + s) / 1024, (a + s) / 1024
        }'
    done <"$tmp/par.$name"
done
med_field() { awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
awk -v bt="$(med_field "$tmp/par.berth" 2)" -v dt="$(med_field "$tmp/par.docker" 2)" \
    -v bm="$(awk '{print $6 - $5 + $8}' "$tmp/par.berth" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" \
    -v dm="$(awk '{print $6 - $5 + $8}' "$tmp/par.docker" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" \
    -v n="$N" 'BEGIN {
    printf "  medians over the rounds: start %d in parallel: berth %d ms, dockerd %d ms, ratio %.2f\n", n, bt, dt, bt / dt
    printf "  memory for %d idle containers (daemon growth + shims): berth %.1f MiB (%.2f per container), dockerd %.1f MiB (%.2f per container), ratio %.2f\n", n, bm / 1024, bm / 1024 / n, dm / 1024, dm / 1024 / n, bm / dm
}'
awk -v b="$(awk 'NR == 1 {print $6 - $5 + $8}' "$tmp/par.berth")" -v d="$(awk 'NR == 1 {print $6 - $5 + $8}' "$tmp/par.docker")" 'BEGIN {
    printf "  the same in the first round only (a daemon that has not yet grown): berth %.1f MiB, dockerd %.1f MiB, ratio %.2f\n", b / 1024, d / 1024, b / d
}'
echo "  idle daemons now: berth JVM $(awk '{printf "%.1f", $1 / 1024}' <<<"$(rss_kb $(berth_daemon_pids))") MiB; dockerd + containerd $(awk '{printf "%.1f", $1 / 1024}' <<<"$(rss_kb $(docker_daemon_pids))") MiB"

if [ "$PULL_MB" -gt 0 ]; then
    echo
    echo "docker pull of a 3-layer image of $PULL_MB MB (random bytes) from a local registry, $PULL_ROUNDS rounds, ms:"
    echo "  berth:   $(tr '\n' ' ' <"$tmp/pull.berth")"
    echo "  dockerd: $(tr '\n' ' ' <"$tmp/pull.docker")"
    awk -v b="$(sort -n "$tmp/pull.berth" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" \
        -v d="$(sort -n "$tmp/pull.docker" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')" -v mb="$PULL_MB" 'BEGIN {
        printf "  medians: berth %d ms (%.0f MB/s), dockerd %d ms (%.0f MB/s), ratio %.2f\n", b, mb * 1000 / b, d, mb * 1000 / d, b / d
    }'
fi

echo
problems=$(grep -iE 'error|exception|warn|severe' "$tmp/berth.log" || true)
if [ -n "$problems" ]; then
    echo "berth daemon log: $(wc -l <"$tmp/berth.log") lines, of which these mention an error or warning:"
    echo "$problems" | head -40 | sed 's/^/  /'
else
    echo "berth daemon log: $(wc -l <"$tmp/berth.log") lines, none mentions an error or warning"
fi
[ "$(daemon_stamp)" = "$build_stamp" ] || echo "WARNING: the berth build changed during this run; figures are not reliable" >&2
