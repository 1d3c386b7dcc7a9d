#!/usr/bin/env bash
# berth-runtime run vs runc run (and crun run, where crun works on this host): one busybox
# container running `true`, created, started, waited for and deleted by the runtime's `run`, timed
# by hyperfine. Also times the JVM alone (start-up with and without the AOT cache) and one run
# broken into steps, to show where the time goes. Run as root:
#
#   bench/runtime-run.sh            # RUNS=30 WARMUP=3 COLD_JVMS=5 by default
#
# BENCH_TMP (default /tmp) is where the temporary directory goes: bundle and state roots of all
# runtimes. Everything it makes (bundle, state roots, containers) lives in one temporary directory
# and is removed on exit; containers left by an interrupted run are deleted. The AOT cache is the
# one bin/build made (bin/lib/aot-train.sh: trained on a real `run` when built as root).
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
COLD_JVMS=${COLD_JVMS:-5}

bench_need_root
bench_ensure_packages hyperfine:hyperfine runc:runc jq:jq
command -v crun >/dev/null 2>&1 || bench_install crun || true
bench_berth_setup
build_stamp=$(bench_build_stamp)

tmp=$(mktemp -d "${BENCH_TMP:-/tmp}"/berth-bench-run.XXXXXX)
cleanup() {
    local r
    for r in "$tmp"/root-berth-*; do bench_delete_leftovers berth "$r"; done
    bench_delete_leftovers runc "$tmp/root-runc"
    bench_delete_leftovers crun "$tmp/root-crun"
    rm -rf "$tmp"
}
trap cleanup EXIT

bundle=$tmp/bundle
bench_make_bundle "$bundle" true

# What bin/berth-runtime execs, without the launcher script in front.
main="dev.berth.runtime.cli.Main"
java_aot="$JAVA $BERTH_JAVA_FLAGS ${BERTH_AOT:+-XX:AOTCache=$BERTH_AOT} -cp '$BERTH_CP' $main"
java_noaot="$JAVA $BERTH_JAVA_FLAGS -cp '$BERTH_CP' $main"

# crun 1.8 refuses ociVersion 1.2.0 ("unknown version specified"), so it gets a copy of the config
# that says 1.0.2 and names the same rootfs. It also refuses hybrid cgroup hosts; then it is left out.
crun_ok=""
crun_note=""
if command -v crun >/dev/null 2>&1; then
    mkdir -p "$tmp/crun-bundle"
    jq --arg root "$bundle/rootfs" '.ociVersion = "1.0.2" | .root.path = $root' "$bundle/config.json" >"$tmp/crun-bundle/config.json"
    if out=$(crun --root "$tmp/root-crun" run --bundle "$tmp/crun-bundle" crun-probe 2>&1); then
        crun_ok=1
    else
        crun_note="crun $(crun --version | head -1 | awk '{print $3}') left out: $(echo "$out" | tail -1)"
        crun --root "$tmp/root-crun" delete --force crun-probe >/dev/null 2>&1 || true
    fi
else
    crun_note="crun left out: not installable"
fi

names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
add "berth-runtime run (bin/berth-runtime)" "$BENCH_HOME/bin/berth-runtime --root $tmp/root-berth-launcher run --bundle $bundle b-\$\$"
add "berth-runtime run (java directly)" "$java_aot --root $tmp/root-berth-direct run --bundle $bundle b-\$\$"
add "runc run" "runc --root $tmp/root-runc run --bundle $bundle r-\$\$"
[ -n "$crun_ok" ] && add "crun run" "crun --root $tmp/root-crun run --bundle $tmp/crun-bundle c-\$\$"
add "JVM only: Main --version, AOT cache" "$java_aot --version"
add "bin/berth-runtime --version (launcher + JVM)" "$BENCH_HOME/bin/berth-runtime --version"
add "JVM only: Main --version, no AOT cache" "$java_noaot --version"
add "JVM only: Main features, AOT cache" "$java_aot features"
add "berth-runtime run (java directly), no AOT cache" "$java_noaot --root $tmp/root-berth-noaot run --bundle $bundle b-\$\$"

hf_args=()
for i in "${!names[@]}"; do
    hf_args+=(--command-name "${names[$i]}" "${cmds[$i]}")
done
echo "== hyperfine: warmup $WARMUP, $RUNS runs each =="
printf '  %s\n' "${cmds[@]}"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$tmp/run.json" "${hf_args[@]}" >&2

# --- one run in steps, as the first work of a fresh JVM with the launcher's flags ---
mkdir -p "$tmp/classes"
"$(dirname "$JAVA")/javac" -d "$tmp/classes" -cp "$BERTH_CP" "$BENCH_HOME/bench/warm/WarmRun.java"
for i in $(seq "$COLD_JVMS"); do
    t0=$(date +%s%N)
    "$JAVA" $BERTH_JAVA_FLAGS ${BERTH_AOT:+-XX:AOTCache=$BERTH_AOT} -cp "$BERTH_CP:$tmp/classes" WarmRun \
        --bundle "$bundle" --root "$tmp/root-berth-cold" --shim "$BERTH_SHIM" --cold "$t0" >"$tmp/cold.$i"
    t1=$(date +%s%N)
    end=$(awk -F'\t' '$1 == "END" {print $2}' "$tmp/cold.$i")
    printf 'STEP\tJVM exit (end of delete until the process is gone)\t%s\n' \
        "$(awk -v a="$end" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e6}')" >>"$tmp/cold.$i"
    printf 'STEP\ttotal, as the calling script saw it\t%s\n' \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e6}')" >>"$tmp/cold.$i"
done

# --- summary ---
echo
echo "== berth-runtime vs runc: run a busybox container executing \`true\` =="
bench_machine
echo
printf '%-50s %9s %8s %9s %9s %9s\n' "command" "mean ms" "± σ" "median" "p90" "min"
for i in "${!names[@]}"; do
    read -r mean sd med p90 min < <(bench_stats "$tmp/run.json" "$i")
    printf '%-50s %9s %8s %9s %9s %9s\n' "${names[$i]}" "$mean" "$sd" "$med" "$p90" "$min"
done
[ -n "$crun_note" ] && echo "($crun_note)"
mean_of() { bench_stats "$tmp/run.json" "$1" | cut -f1; }
runc_mean=$(mean_of 2)
echo
awk -v l="$(mean_of 0)" -v d="$(mean_of 1)" -v r="$runc_mean" 'BEGIN {
    printf "ratio berth-runtime (bin/berth-runtime) / runc: %.1fx\n", l / r
    printf "ratio berth-runtime (java directly)     / runc: %.1fx\n", d / r
}'
if [ -n "$crun_ok" ]; then
    awk -v d="$(mean_of 1)" -v c="$(mean_of 3)" 'BEGIN { printf "ratio berth-runtime (java directly)     / crun: %.1fx\n", d / c }'
fi
echo
echo "one run in steps, first work of a fresh JVM (launcher flags, AOT cache; median of $COLD_JVMS JVMs, ms):"
cat "$tmp"/cold.* | awk -F'\t' '$1 == "STEP" {print $2 "\t" $3}' | sort -t$'\t' -k1,1 -k2,2n | awk -F'\t' '
    { v[$1] = v[$1] " " $2; n[$1]++ }
    END { for (k in v) { split(substr(v[k], 2), a, " "); m = a[int((n[k] + 1) / 2)]; med[k] = m } 
          for (k in med) print k "\t" med[k] }' >"$tmp/cold.median"
# print in the order the steps happen
awk -F'\t' '$1 == "STEP" {print $2}' "$tmp/cold.1" | while IFS= read -r step; do
    printf '  %-60s %8s\n' "$step" "$(awk -F'\t' -v s="$step" '$1 == s {print $2}' "$tmp/cold.median")"
done
cat "$tmp"/cold.* | awk -F'\t' '$1 == "NOTE" {print "  note: " $2}' | sort -u
[ "$(bench_build_stamp)" = "$build_stamp" ] || echo "WARNING: the berth build changed during this run; figures are not reliable" >&2
