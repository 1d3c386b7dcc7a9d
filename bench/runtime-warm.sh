#!/usr/bin/env bash
# Warm JVM vs runc: N sequential BerthRuntime.run (create + start + wait + delete) of a busybox
# `true` container in one warmed-up JVM (bench/warm/WarmRun.java), against N `runc run` of the same
# bundle in the same script run. The target: a warm run takes at most the time of one `runc run`.
# Three ways, since the rhythm of the runs matters (see docs/PERFORMANCE.md): back to back; each
# run after a pause of GAP_MS (as isolated starts are); and alternating the two in one loop (robust
# to a load that changes during the script). Also prints a step-by-step breakdown of the warm run. Run as root:
#
#   bench/runtime-warm.sh           # N=50 WARMUP=20 GAP_MS=50 by default
#
# BENCH_TMP (default /tmp) is where the temporary directory goes: bundle and state roots of all
# runtimes. Everything it makes lives in one temporary directory and is removed on exit.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

N=${N:-50}
WARMUP=${WARMUP:-20}
GAP_MS=${GAP_MS:-50}

bench_need_root
bench_ensure_packages hyperfine:hyperfine runc:runc jq:jq
bench_berth_setup
build_stamp=$(bench_build_stamp)

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}"/berth-bench-warm.XXXXXX)
cleanup() {
    bench_delete_leftovers berth "$tmp/root-berth"
    bench_delete_leftovers runc "$tmp/root-runc"
    bench_delete_leftovers runc "$tmp/root-runc-interleaved"
    rm -rf "$tmp"
}
trap cleanup EXIT

bundle=$tmp/bundle
bench_make_bundle "$bundle" true

warm_cmd=("$JAVA" -cp "$BERTH_CP" --enable-native-access=ALL-UNNAMED "$BENCH_HOME/bench/warm/WarmRun.java"
    --bundle "$bundle" --root "$tmp/root-berth" --shim "$BERTH_SHIM" --runs "$N" --warmup "$WARMUP" --breakdown
    --gap-ms "$GAP_MS"
    --peer "runc --root $tmp/root-runc-interleaved run --bundle $bundle")
runc_cmd="runc --root $tmp/root-runc run --bundle $bundle r-\$\$"

echo "== warm JVM: ${warm_cmd[*]}"
"${warm_cmd[@]}" | tee "$tmp/warm.out"
echo
echo "== runc: hyperfine --warmup 3 --runs $N '$runc_cmd'"
hyperfine --style basic --warmup 3 --runs "$N" --export-json "$tmp/runc.json" --command-name "runc run" "$runc_cmd" >&2
gap_s=$(awk -v g="$GAP_MS" 'BEGIN {printf "%.3f", g / 1000}')
echo "== runc, each run after a pause: hyperfine --warmup 3 --runs $N --prepare 'sleep $gap_s' '$runc_cmd'"
hyperfine --style basic --warmup 3 --runs "$N" --prepare "sleep $gap_s" --export-json "$tmp/runc-spaced.json" \
    --command-name "runc run, after a pause" "$runc_cmd" >&2

read -r w_mean w_med w_p90 < <(awk '$1 == "RESULT" {print $2, $3, $4}' "$tmp/warm.out")
read -r r_mean _ r_med r_p90 _ < <(bench_stats "$tmp/runc.json" 0)
read -r ws_mean ws_med ws_p90 < <(awk '$1 == "RESULT_SPACED" {print $2, $3, $4}' "$tmp/warm.out")
read -r rs_mean _ rs_med rs_p90 _ < <(bench_stats "$tmp/runc-spaced.json" 0)
read -r i_mean i_med i_p90 ir_mean ir_med ir_p90 i_spawn < <(awk '$1 == "INTERLEAVED" {print $2, $3, $4, $5, $6, $7, $8}' "$tmp/warm.out")

echo
echo "== warm BerthRuntime.run vs runc run: busybox \`true\`, $N runs each =="
bench_machine
echo
row() { printf '%-58s %9s %9s %9s\n' "$@"; }
ratio() { awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN {printf "%.2fx (mean), %.2fx (median)", a / b, c / d}'; }
row "" "mean ms" "median" "p90"
echo "back to back:"
row "  BerthRuntime.run, warm JVM ($WARMUP warm-up)" "$w_mean" "$w_med" "$w_p90"
row "  runc run (hyperfine, 3 warm-up)" "$r_mean" "$r_med" "$r_p90"
echo "  ratio berth/runc: $(ratio "$w_mean" "$r_mean" "$w_med" "$r_med")"
echo "each run after a $GAP_MS ms pause:"
row "  BerthRuntime.run, warm JVM" "$ws_mean" "$ws_med" "$ws_p90"
row "  runc run (hyperfine --prepare 'sleep $gap_s')" "$rs_mean" "$rs_med" "$rs_p90"
echo "  ratio berth/runc: $(ratio "$ws_mean" "$rs_mean" "$ws_med" "$rs_med")"
echo "interleaved in one loop (berth, runc, /bin/true):"
row "  BerthRuntime.run, warm JVM" "$i_mean" "$i_med" "$i_p90"
row "  runc run (net of $i_spawn ms to spawn a process)" "$ir_mean" "$ir_med" "$ir_p90"
echo "  ratio berth/runc: $(ratio "$i_mean" "$ir_mean" "$i_med" "$ir_med")"
awk -v a="$w_mean" -v b="$r_mean" -v c="$ws_mean" -v d="$rs_mean" -v e="$i_mean" -v f="$ir_mean" 'BEGIN {
    printf "target (warm run <= one runc run, by mean): back to back %s, after a pause %s, interleaved %s\n",
        a <= b ? "met" : "NOT met", c <= d ? "met" : "NOT met", e <= f ? "met" : "NOT met"
}'
[ "$(bench_build_stamp)" = "$build_stamp" ] || echo "WARNING: the berth build changed during this run; figures are not reliable" >&2
