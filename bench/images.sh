#!/usr/bin/env bash
# Images: pull and unpack, ours against the peers in the same run.
#
# The first loop of each part alternates ours and the peer run by run (ImagesBench --peer), so that
# a machine busy with other work weighs on both alike: its "interleaved" ratio is the one to quote
# on a shared machine. The other rows run one contestant after the other.
#
# (a) Pull of a 4-layer image (busybox + 3 layers of 50 MB of random bytes, gzip: ~150 MB that does
#     not compress) from a local docker-registry (Debian's, on a free loopback port) into an empty
#     store: ImagePuller into a new ContentStore (bench/images/ImagesBench.java), in one warm JVM
#     with the daemon's flags (as `berth daemon` pulls), in one warm JVM with the JVM's default
#     flags (C2), and as a fresh JVM per pull; against `skopeo copy docker://... oci:DIR:TAG`, and
#     `docker pull` when a dockerd answers on /var/run/docker.sock.
# (b) Unpack of one gzip layer of ~150 MB uncompressed (4,000 small text-like files, 4 random
#     20 MB files, 500 symlinks): LayerUnpacker (which syncfs's the layer before its rename) vs
#     `tar -xzf`, and `tar -xzf` followed by `sync -f` (the same durability); MB/s of tar stream.
#
# Every run starts from an empty target with nothing left to write back (outside the clock: rm -rf
# and sync for pulls; a new directory and sync for unpacks, whose trees are removed at the end). The blobs are in the page cache for every contestant (registry storage and layer
# file are read from memory after the first run). Run as root, on a quiet machine:
#
#   bench/images.sh                 # PULL_RUNS=7 UNPACK_RUNS=5 JVM_WARMUP=3 WARMUP=1 by default
#   BENCH_TMP=/dev/shm bench/images.sh    # everything on tmpfs: the file system left out
#
# BENCH_TMP (default /tmp) is where the temporary directory goes (~1 GB at most). Everything lives
# in it (a copy of the jars `berth daemon` runs, api/target/lib, too) and is removed on exit; the
# registry is stopped by its pid.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

PULL_RUNS=${PULL_RUNS:-7}
UNPACK_RUNS=${UNPACK_RUNS:-5}
WARMUP=${WARMUP:-1}              # hyperfine's warm-up runs
# Warm-up runs in the warm-JVM loops: on 2 busy CPUs C2 is still compiling the unpack path after
# one run (the second and third unpacks took 2-3x the later ones), and the daemon these loops stand
# for is a long-running JVM. The cold cost is in the "first run" and "fresh JVM" rows.
JVM_WARMUP=${JVM_WARMUP:-3}
LAYERS=${LAYERS:-3}
LAYER_MB=${LAYER_MB:-50}
UNPACK_MB=${UNPACK_MB:-150}

bench_need_root
bench_ensure_packages hyperfine:hyperfine jq:jq skopeo:skopeo docker-registry:docker-registry
source "$BENCH_HOME/bin/lib/java.sh"
LIB="$BENCH_HOME/api/target/lib"
if ! ls "$LIB"/berth-image-*.jar "$LIB"/berth-storage-*.jar >/dev/null 2>&1; then
    echo "not built: running bin/build" >&2
    "$BENCH_HOME/bin/build" >&2
fi
# What `berth daemon` passes to java (bin/berth), minus -D and the classpath.
DAEMON_FLAGS=$(grep -o -- ' -XX:[A-Za-z0-9+=-]*' "$BENCH_HOME/bin/berth" | tr -d '\n')
tmp=$(mktemp -d "${BENCH_TMP:-/tmp}"/berth-bench-images.XXXXXX)
registry_pid=""
cleanup() {
    if [ -n "$registry_pid" ] && kill -0 "$registry_pid" 2>/dev/null; then
        kill "$registry_pid"
        wait "$registry_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A copy of the jars, so that a rebuild during the run (bin/build elsewhere) cannot mix two builds;
# and the helper, compiled once: a fresh-JVM run must not pay for compiling a source file.
cp -r "$LIB" "$tmp/lib"
build_date=$(date -u -r "$(ls "$tmp"/lib/berth-image-*.jar | head -1)" '+%Y-%m-%d %H:%M UTC')
mkdir -p "$tmp/classes"
"$(dirname "$JAVA")/javac" -nowarn -d "$tmp/classes" -cp "$tmp/lib/*" "$BENCH_HOME/bench/images/ImagesBench.java"
CP="$tmp/lib/*:$tmp/classes"
ours() { local flags=$1; shift; "$JAVA" $flags --enable-native-access=ALL-UNNAMED -cp "$CP" ImagesBench "$@"; }

# ---- a registry on a free loopback port ---------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if port_free "$candidate"; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }
mkdir -p "$tmp/registry/data"
cat >"$tmp/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/registry/data
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: berth-bench
EOF
docker-registry serve "$tmp/registry/config.yml" >"$tmp/registry/log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 200); do
    port_free "$port" || break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$tmp/registry/log" >&2; exit 1; }
    sleep 0.05
done
ref="127.0.0.1:$port/bench/layers:v1"

echo "== making and pushing $ref ($LAYERS x $LAYER_MB MB random layers + busybox)"
ours "$DAEMON_FLAGS" make-image --ref "$ref" --layers "$LAYERS" --layer-mb "$LAYER_MB" --work "$tmp/make-image"
rm -rf "$tmp/make-image"

# ---- (a) pull -----------------------------------------------------------------------------------
# The host's signature policy, when it has one, is what skopeo applies; without one skopeo refuses.
skopeo_policy=""
[ -f /etc/containers/policy.json ] || skopeo_policy="--insecure-policy "
skopeo_cmd="skopeo ${skopeo_policy}copy --quiet --src-tls-verify=false docker://$ref oci:$tmp/skopeo-oci:v1"
skopeo_il="skopeo ${skopeo_policy}copy --quiet --src-tls-verify=false docker://$ref oci:{}:v1"
echo
echo "== pull, berth: ImagePuller in one warm JVM, daemon flags ($DAEMON_FLAGS), $JVM_WARMUP warm-up + $PULL_RUNS,"
echo "   each run followed by one of skopeo (interleaved: $skopeo_il, {} a new directory)"
ours "$DAEMON_FLAGS" pull --ref "$ref" --dir "$tmp/pull-warm" --runs "$PULL_RUNS" --warmup "$JVM_WARMUP" \
    --peer "$skopeo_il" --peer-out "$tmp/skopeo-il" | tee "$tmp/pull-warm.out"
echo
echo "== pull, berth: ImagePuller in one warm JVM, default JVM flags, $JVM_WARMUP warm-up + $PULL_RUNS"
ours "" pull --ref "$ref" --dir "$tmp/pull-c2" --runs "$PULL_RUNS" --warmup "$JVM_WARMUP" | tee "$tmp/pull-c2.out"

cold_cmd="$JAVA $DAEMON_FLAGS --enable-native-access=ALL-UNNAMED -cp '$CP' ImagesBench pull --ref $ref --dir $tmp/pull-cold --runs 1 --warmup 0"
echo
echo "== pull: hyperfine --warmup $WARMUP --runs $PULL_RUNS, each from an empty target (prepare: rm -rf; sync)"
echo "   berth, fresh JVM: $cold_cmd"
echo "   skopeo:           $skopeo_cmd"
hyperfine --style basic --warmup "$WARMUP" --runs "$PULL_RUNS" --export-json "$tmp/pull.json" \
    --prepare "rm -rf $tmp/pull-cold $tmp/skopeo-oci; sync" \
    --command-name "berth pull, fresh JVM" "$cold_cmd" \
    --command-name "skopeo copy" "$skopeo_cmd" >&2
du -sb "$tmp/skopeo-oci" 2>/dev/null | awk '{printf "   skopeo wrote %.1f MB\n", $1 / 1e6}' || true
rm -rf "$tmp/pull-cold" "$tmp/skopeo-oci"

docker_note="docker pull: not measured, no dockerd answers on /var/run/docker.sock"
docker_med=""
if command -v docker >/dev/null 2>&1 && docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    # dockerd pulls from a loopback registry over http without --insecure-registry (as we do).
    hyperfine --style basic --warmup "$WARMUP" --runs "$PULL_RUNS" --export-json "$tmp/docker.json" \
        --prepare "docker rmi -f $ref >/dev/null 2>&1; docker image prune -f >/dev/null 2>&1; sync" \
        --command-name "docker pull" "docker pull -q $ref" >&2
    docker rmi -f "$ref" >/dev/null 2>&1 || true
    read -r _ _ docker_med _ _ < <(bench_stats "$tmp/docker.json" 0)
    docker_note="docker pull (dockerd $(docker version --format '{{.Server.Version}}'))"
fi

# ---- (b) unpack ---------------------------------------------------------------------------------
echo
echo "== unpack: making a gzip layer of ~$UNPACK_MB MB uncompressed"
ours "$DAEMON_FLAGS" make-layer --out "$tmp/layer.tar.gz" --mb "$UNPACK_MB"
tar_bytes=$(gzip -dc "$tmp/layer.tar.gz" | wc -c)
tar_mb=$(awk -v b="$tar_bytes" 'BEGIN {printf "%.1f", b / 1e6}')
echo "   uncompressed tar stream: $tar_mb MB"
echo
# Unpacks write each run into a new directory and remove them all at the end (--keep; for hyperfine,
# a mktemp directory per run and only a sync as prepare): on ext4 an inode freed less than 60 s ago
# is skipped by the allocator one by one (fs/ext4/ialloc.c, recently_deleted()), so a run just
# after an rm -rf of the previous tree spends most of its time scanning past its 4,000 inodes, and
# the figures measure the order of the runs more than the unpackers.
u_tar_il="mkdir {} && tar -xzf $tmp/layer.tar.gz -C {}"
echo "== unpack, berth: LayerUnpacker in one warm JVM, daemon flags, $JVM_WARMUP warm-up + $UNPACK_RUNS,"
echo "   each run followed by one of tar (interleaved: $u_tar_il, {} a new directory)"
ours "$DAEMON_FLAGS" unpack --blob "$tmp/layer.tar.gz" --dir "$tmp/unpack-warm" --runs "$UNPACK_RUNS" --warmup "$JVM_WARMUP" \
    --keep true --peer "$u_tar_il" --peer-out "$tmp/tar-il" | tee "$tmp/unpack-warm.out"
echo
echo "== unpack, berth: LayerUnpacker in one warm JVM, default JVM flags, $JVM_WARMUP warm-up + $UNPACK_RUNS"
ours "" unpack --blob "$tmp/layer.tar.gz" --dir "$tmp/unpack-c2" --runs "$UNPACK_RUNS" --warmup "$JVM_WARMUP" --keep true | tee "$tmp/unpack-c2.out"

mkdir -p "$tmp/unpack-cold" "$tmp/tar-out"
u_cold="$JAVA $DAEMON_FLAGS --enable-native-access=ALL-UNNAMED -cp '$CP' ImagesBench unpack --blob $tmp/layer.tar.gz --dir \$(mktemp -d -p $tmp/unpack-cold) --runs 1 --warmup 0 --keep true"
u_tar="d=\$(mktemp -d -p $tmp/tar-out) && tar -xzf $tmp/layer.tar.gz -C \$d"
u_tar_sync="d=\$(mktemp -d -p $tmp/tar-out) && tar -xzf $tmp/layer.tar.gz -C \$d && sync -f \$d"
echo
echo "== unpack: hyperfine --warmup $WARMUP --runs $UNPACK_RUNS, each into a new directory (prepare: sync)"
hyperfine --style basic --warmup "$WARMUP" --runs "$UNPACK_RUNS" --export-json "$tmp/unpack.json" \
    --prepare "sync" \
    --command-name "berth unpack, fresh JVM" "$u_cold" \
    --command-name "tar -xzf" "$u_tar" \
    --command-name "tar -xzf; sync -f" "$u_tar_sync" >&2
rm -rf "$tmp/unpack-cold" "$tmp/tar-out"

# ---- report -------------------------------------------------------------------------------------
read -r pw_med pw_mean pw_min pull_mb < <(awk '$1 == "RESULT" {print $2, $3, $4, $5}' "$tmp/pull-warm.out")
read -r pp_med _ _ < <(awk '$1 == "PEER" {print $2, $3, $4}' "$tmp/pull-warm.out")
read -r pc_med _ _ _ < <(awk '$1 == "RESULT" {print $2, $3, $4, $5}' "$tmp/pull-c2.out")
read -r _ _ cold_med _ _ < <(bench_stats "$tmp/pull.json" 0)
read -r _ _ sk_med _ _ < <(bench_stats "$tmp/pull.json" 1)
read -r uw_med _ _ unpack_mb uw_first < <(awk '$1 == "RESULT" {print $2, $3, $4, $5, $6}' "$tmp/unpack-warm.out")
read -r up_med _ _ < <(awk '$1 == "PEER" {print $2, $3, $4}' "$tmp/unpack-warm.out")
read -r uc_med _ _ _ _ < <(awk '$1 == "RESULT" {print $2, $3, $4, $5, $6}' "$tmp/unpack-c2.out")
read -r _ _ ucold_med _ _ < <(bench_stats "$tmp/unpack.json" 0)
read -r _ _ tar_med _ _ < <(bench_stats "$tmp/unpack.json" 1)
read -r _ _ tars_med _ _ < <(bench_stats "$tmp/unpack.json" 2)

echo
echo "== Images: pull and unpack =="
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, kernel $(uname -r), temporary directory on $(stat -f -c %T "$tmp") ($(dirname "$tmp"))"
echo "java:    $("$JAVA" -version 2>&1 | head -1); berth jars of $build_date (api/target/lib, copied)"
echo "peers:   $(skopeo --version), $(docker-registry --version 2>&1 | head -1), $(tar --version | head -1), gzip $(gzip --version | head -1 | awk '{print $2}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min averages, at the end)"
echo
row() { printf '%-52s %10s %10s %8s\n' "$@"; }
rate() { awk -v mb="$1" -v ms="$2" 'BEGIN {printf "%.0f", mb / ms * 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
echo "(a) pull of $pull_mb MB (4 layers) from docker-registry on loopback into an empty store; median of $PULL_RUNS"
row "" "median ms" "MB/s" "vs skopeo"
row "berth ImagePuller, warm JVM, daemon flags" "$pw_med" "$(rate "$pull_mb" "$pw_med")" "$(ratio "$pw_med" "$sk_med")"
row "  skopeo copy, interleaved with the row above" "$pp_med" "$(rate "$pull_mb" "$pp_med")" "$(ratio "$pp_med" "$sk_med")"
row "  berth / skopeo, interleaved runs" "" "" "$(ratio "$pw_med" "$pp_med")"
row "berth ImagePuller, warm JVM, default JVM flags" "$pc_med" "$(rate "$pull_mb" "$pc_med")" "$(ratio "$pc_med" "$sk_med")"
row "berth ImagePuller, fresh JVM (hyperfine)" "$cold_med" "$(rate "$pull_mb" "$cold_med")" "$(ratio "$cold_med" "$sk_med")"
row "skopeo copy docker:// oci: (hyperfine)" "$sk_med" "$(rate "$pull_mb" "$sk_med")" "1"
if [ -n "$docker_med" ]; then
    row "$docker_note" "$docker_med" "$(rate "$pull_mb" "$docker_med")" "$(ratio "$docker_med" "$sk_med")"
else
    echo "$docker_note"
fi
echo "(time ratios: below 1 means faster than skopeo)"
echo
echo "(b) unpack of a gzip layer, $unpack_mb MB tar stream; median of $UNPACK_RUNS"
row "" "median ms" "MB/s" "vs tar"
row "berth LayerUnpacker, warm JVM, daemon flags" "$uw_med" "$(rate "$unpack_mb" "$uw_med")" "$(ratio "$uw_med" "$tar_med")"
row "  tar -xzf, interleaved with the row above" "$up_med" "$(rate "$unpack_mb" "$up_med")" "$(ratio "$up_med" "$tar_med")"
row "  berth / tar, interleaved runs" "" "" "$(ratio "$uw_med" "$up_med")"
row "berth LayerUnpacker, warm JVM, default JVM flags" "$uc_med" "$(rate "$unpack_mb" "$uc_med")" "$(ratio "$uc_med" "$tar_med")"
row "berth LayerUnpacker, first run in a fresh JVM" "$uw_first" "$(rate "$unpack_mb" "$uw_first")" "$(ratio "$uw_first" "$tar_med")"
row "berth LayerUnpacker, fresh JVM (hyperfine)" "$ucold_med" "$(rate "$unpack_mb" "$ucold_med")" "$(ratio "$ucold_med" "$tar_med")"
row "tar -xzf (hyperfine)" "$tar_med" "$(rate "$unpack_mb" "$tar_med")" "1"
row "tar -xzf; sync -f (hyperfine)" "$tars_med" "$(rate "$unpack_mb" "$tars_med")" "$(ratio "$tars_med" "$tar_med")"
echo "(LayerUnpacker syncs the layer (syncfs) before renaming it into place: compare with tar -xzf; sync -f)"
